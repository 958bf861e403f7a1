"use server";

import { defineAction } from "@/lib/actions/action-client";
import { continueSignIn } from "@/lib/auth/sign-in";
import { signInWithReEnrollmentToken } from "@/lib/services/two-factor/re-enrollment";
import { reEnrollSchema } from "@/lib/validation/two-factor";

/** Public: the emailed single-use link plus the account password start an ordinary pending sign-in (S16), which
 *  continues like every other sign-in (lib/auth/sign-in.ts). */
export const reEnrollAction = defineAction({ schema: reEnrollSchema, auth: "public" }, async (input, { context }) => {
  const pending = await signInWithReEnrollmentToken({
    input: { token: input.token, password: input.password },
    context,
  });
  return { requirement: await continueSignIn(pending, context) };
});
