"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { assertSameOrigin, defineAction } from "@/lib/actions/action-client";
import { ADMINS } from "@/lib/auth/actor";
import { clearSessionCookie } from "@/lib/auth/cookies";
import { getCurrentUser } from "@/lib/auth/guards";
import { requestContext } from "@/lib/auth/request-context";
import { revokeOwnSession } from "@/lib/services/sessions/revoke-own-session";
import { signOutOtherSessions } from "@/lib/services/sessions/sign-out-other-sessions";
import { signOutSession } from "@/lib/services/sessions/sign-out-session";
import { inviteMember } from "@/lib/services/teammates/invite";
import { revokeInvitation } from "@/lib/services/teammates/revoke-invitation";
import { changeRole } from "@/lib/services/teammates/teammates";
import { changeRoleSchema, inviteSchema, revokeInvitationSchema } from "@/lib/validation/teammates";
import { opaqueId } from "@/lib/validation/text";

/** Ends this browser's session on the server (the row is revoked, S21) and drops the cookie. */
export async function signOutAction(): Promise<void> {
  await assertSameOrigin();
  const current = await getCurrentUser();
  if (current) await signOutSession({ input: { sessionId: current.session.id }, context: await requestContext() });
  await clearSessionCookie();
  redirect("/sign-in?signedOut=1");
}

export const inviteAction = defineAction({ schema: inviteSchema, auth: ADMINS }, async (input, { actor, context }) => {
  const { expiresAt } = await inviteMember({ actor, input, context });
  return { email: input.email, expiresAt: expiresAt.toISOString() };
});

export const changeRoleAction = defineAction(
  { schema: changeRoleSchema, auth: ADMINS },
  async (input, { actor, context }) => {
    return changeRole({ actor, input, context });
  },
);

export const revokeInvitationAction = defineAction(
  { schema: revokeInvitationSchema, auth: ADMINS },
  async (input, { actor, context }) => {
    await revokeInvitation({ actor, input: { invitationId: input.invitationId }, context });
    return { revoked: true };
  },
);

export const revokeSessionAction = defineAction(
  { schema: z.object({ sessionId: opaqueId(64, "Choose a session.") }), auth: "user" },
  async (input, { actor, context }) => {
    await revokeOwnSession({ actor, input, context });
    return { revoked: true };
  },
);

export const signOutOtherSessionsAction = defineAction(
  { schema: z.object({}), auth: "user" },
  async (_input, { actor, context }) => {
    const revoked = await signOutOtherSessions({ actor, context });
    return { revoked };
  },
);
