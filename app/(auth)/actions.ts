"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/action-client";
import { readChallengeCookie } from "@/lib/auth/cookies";
import { continueSignIn, finishSignIn } from "@/lib/auth/sign-in";
import { signUp } from "@/lib/services/accounts/sign-up";
import { passwordStep } from "@/lib/services/sign-in/password-step";
import { sendSignInSmsCode } from "@/lib/services/sign-in/sms-sign-in";
import { acceptInvitation } from "@/lib/services/teammates/accept-invitation";
import { SETUP_PATH } from "@/lib/urls";
import { acceptInvitationSchema, signInSchema, signUpSchema } from "@/lib/validation/auth";
import { secondFactorSchema } from "@/lib/validation/two-factor";

// Each first step ends in continueSignIn (lib/auth/sign-in.ts): signed in at once when nothing else is required,
// otherwise `requirement: "second-factor"` and the browser goes to /sign-in/verify, whose form calls
// verifySignInAction.

export const signInAction = defineAction({ schema: signInSchema, auth: "public" }, async (input, { context }) => {
  const requirement = await continueSignIn(await passwordStep({ input, context }), context);
  return { requirement };
});

export const signUpAction = defineAction({ schema: signUpSchema, auth: "public" }, async (input, { context }) => {
  const requirement = await continueSignIn(await signUp({ input, context }), context);
  return { requirement };
});

export const acceptInvitationAction = defineAction(
  { schema: acceptInvitationSchema, auth: "public" },
  async (input, { context }) => {
    const { organizationRequiresTwoFactor, ...pending } = await acceptInvitation({ input, context });
    const requirement = await continueSignIn(pending, context);
    // SPEC §1: when the organization requires 2FA, setup follows the password before any workspace page opens.
    return { requirement, next: organizationRequiresTwoFactor && requirement === "none" ? SETUP_PATH : "/dashboard" };
  },
);

/** The second step (S16): this browser's pending sign-in plus an authenticator or recovery code. */
export const verifySignInAction = defineAction(
  { schema: secondFactorSchema, auth: "public" },
  async (input, { context }) => {
    const { remainingRecoveryCodes } = await finishSignIn(input, context);
    return { remainingRecoveryCodes };
  },
);

/** The second step by text message (issue 12): texts a code bound to this browser's pending sign-in (capped). */
export const sendSignInSmsAction = defineAction(
  { schema: z.object({}), auth: "public" },
  async (_input, { context }) => {
    const sent = await sendSignInSmsCode({ input: { challengeToken: await readChallengeCookie() }, context });
    return { lastFour: sent.lastFour, resendAfter: sent.resendAfter.toISOString() };
  },
);
