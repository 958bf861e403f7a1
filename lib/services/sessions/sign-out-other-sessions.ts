import type { Actor } from "../../auth/actor";
import { db, inTransaction, type Tx } from "../../db";
import type { RequestContext } from "../audit/audit-log";
import { auditForUser } from "../two-factor/audit-for-user";
import { revokeUserSessions } from "./revoke-user-sessions";

/** "Sign out all other sessions" (S23: users list and revoke their sessions): one set-based update; the current
 *  session stays. Returns how many were signed out. */
export async function signOutOtherSessions(
  { actor, context }: { actor: Pick<Actor, "userId" | "sessionId">; context: RequestContext },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<number> {
  return inTransaction(tx, async (t) => {
    const count = await revokeUserSessions(
      t,
      { userId: actor.userId, exceptSessionId: actor.sessionId, reason: "signed_out_elsewhere" },
      now,
    );
    if (count > 0) await auditForUser(t, actor.userId, "session.revoked", context, { others: count });
    return count;
  });
}
