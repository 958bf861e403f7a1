"use server";

import { defineAction } from "@/lib/actions/action-client";
import { setChallengeCookie } from "@/lib/auth/challenge-cookie";
import { signUp } from "@/lib/services/accounts/sign-up";
import { passwordStep } from "@/lib/services/sign-in";
import { acceptInvitation } from "@/lib/services/teammates/invitations";
import { SETUP_PATH } from "@/lib/urls";
import { acceptInvitationSchema, signInSchema, signUpSchema } from "@/lib/validation/auth";

// Each of these ends with a pending sign-in bound to this browser; the client then completes it through
// next-auth (`signIn("challenge")`), which creates the session only when nothing else is required.

export const signInAction = defineAction({ schema: signInSchema, auth: "public" }, async (input, { context }) => {
  const { challengeToken, requirement } = await passwordStep(input, context);
  await setChallengeCookie(challengeToken);
  return { requirement };
});

export const signUpAction = defineAction({ schema: signUpSchema, auth: "public" }, async (input, { context }) => {
  const { challengeToken, requirement } = await signUp(input, context);
  await setChallengeCookie(challengeToken);
  return { requirement };
});

export const acceptInvitationAction = defineAction(
  { schema: acceptInvitationSchema, auth: "public" },
  async (input, { context }) => {
    const { challengeToken, requirement, organizationRequiresTwoFactor } = await acceptInvitation(input, context);
    await setChallengeCookie(challengeToken);
    // SPEC §1: when the organization requires 2FA, setup follows the password before any workspace page opens.
    return { requirement, next: organizationRequiresTwoFactor && requirement === "none" ? SETUP_PATH : "/dashboard" };
  },
);
