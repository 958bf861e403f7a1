"use server";

import { defineAction } from "@/lib/actions/action-client";
import { setChallengeCookie } from "@/lib/auth/challenge-cookie";
import { signInWithReEnrollmentToken } from "@/lib/services/two-factor/re-enrollment";
import { reEnrollSchema } from "@/lib/validation/two-factor";

/** Public: the emailed single-use link plus the account password start an ordinary pending sign-in (S16), which the
 *  browser completes through next-auth like every other sign-in. */
export const reEnrollAction = defineAction({ schema: reEnrollSchema, auth: "public" }, async (input, { context }) => {
  const { challengeToken, requirement } = await signInWithReEnrollmentToken(input.token, input.password, context);
  await setChallengeCookie(challengeToken);
  return { requirement };
});
