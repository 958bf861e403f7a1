import type { Actor } from "../../auth/actor";
import type { SignOutReason } from "../../auth/sign-out-reasons";
import { db, inTransaction, type Tx } from "../../db";
import { DomainError } from "../../errors";
import type { RequestContext } from "../audit/audit-log";
import { auditForUser } from "../two-factor/audit-for-user";

/** Signs out one session of the acting user (their own sessions only; S23: users list and revoke their sessions). The
 *  reason says whether it was this very session ("signed_out") or another of their devices ("signed_out_elsewhere"). */
export async function revokeOwnSession(
  {
    actor,
    input,
    context,
  }: { actor: Pick<Actor, "userId" | "sessionId">; input: { sessionId: string }; context: RequestContext },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<void> {
  const reason: SignOutReason = input.sessionId === actor.sessionId ? "signed_out" : "signed_out_elsewhere";
  await inTransaction(tx, async (t) => {
    const { count } = await t.session.updateMany({
      where: { id: input.sessionId, userId: actor.userId, revokedAt: null },
      data: { revokedAt: now, revokedReason: reason },
    });
    if (count !== 1) throw new DomainError("NOT_FOUND");
    // S40: recorded in every organization of the account.
    await auditForUser(t, actor.userId, "session.revoked", context, { sessionId: input.sessionId });
  });
}
