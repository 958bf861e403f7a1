"use server";

import { defineAction } from "@/lib/actions/action-client";
import { setChallengeCookie } from "@/lib/auth/challenge-cookie";
import { signUp } from "@/lib/services/accounts";
import { acceptInvitation } from "@/lib/services/invitations";
import { passwordStep } from "@/lib/services/sign-in";
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
    const { challengeToken, requirement } = await acceptInvitation(input, context);
    await setChallengeCookie(challengeToken);
    return { requirement };
  },
);
