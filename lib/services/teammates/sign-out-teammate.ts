import type { Actor } from "../../auth/actor";
import { db, inTransaction, type Tx } from "../../db";
import type { RequestContext } from "../audit/audit-log";
import { enqueueMail } from "../outbox/outbox";
import { revokeUserSessions } from "../sessions/revoke-user-sessions";
import { auditEverywhere, authorizeTeammateAction } from "./teammate-authorization";

/**
 * Signs a teammate out everywhere (issue 10 item 3, S23: admins revoke a teammate's sessions) without touching their
 * 2FA: every session ends with the reason "signed_out_by_admin" (their browsers then say so at sign-in), every
 * half-finished sign-in is voided, and the session version is bumped. Same rules as the other admin actions on a
 * teammate (S25: same organization, never the owner nor yourself; S26: a recent step-up of the admin), except that an
 * account that also belongs to other organizations is not refused: signing out protects it, so the action is audited
 * in every organization of the account instead (S40). The teammate is emailed. Returns how many sessions ended.
 */
export async function signOutTeammateEverywhere(
  { actor, input, context }: { actor: Actor; input: { membershipId: string }; context: RequestContext },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<{ sessionsRevoked: number }> {
  return inTransaction(tx, async (t) => {
    const { target, adminName, organizationName } = await authorizeTeammateAction(t, actor, input.membershipId, now, {
      accountsInOtherOrganizations: "allow",
    });
    const userId = target.userId;
    const sessionsRevoked = await revokeUserSessions(t, { userId, reason: "signed_out_by_admin" }, now);
    await t.signInChallenge.updateMany({ where: { userId, consumedAt: null }, data: { consumedAt: now } });
    await t.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
    await auditEverywhere(t, actor, userId, {
      type: "session.revoked_by_admin",
      context,
      metadata: { membershipId: target.id, sessionsRevoked },
    });
    await enqueueMail(t, {
      to: target.user.email,
      template: "signed-out-by-admin",
      data: { name: target.user.name, adminName, organizationName, at: now.toISOString(), sessionsRevoked },
    });
    return { sessionsRevoked };
  });
}
