import type { SignOutReason } from "../../auth/sign-out-reasons";
import { db, inTransaction, type Tx } from "../../db";
import { type RequestContext, recordAuditEvent } from "../audit/audit-log";

/** Signs out exactly this session (any sign-out path: the app's button, next-auth's endpoint; S43: every sign-out path
 *  ends the server session); audited once, however many sign-outs of it race. A session already ended stays as it was. */
export async function signOutSession(
  { input, context }: { input: { sessionId: string }; context: RequestContext },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<void> {
  await inTransaction(tx, async (t) => {
    const session = await t.session.findUnique({ where: { id: input.sessionId }, select: { userId: true } });
    if (!session) return;
    const { count } = await t.session.updateMany({
      where: { id: input.sessionId, revokedAt: null },
      data: { revokedAt: now, revokedReason: "signed_out" satisfies SignOutReason },
    });
    if (count === 1)
      await recordAuditEvent(t, { type: "signout", actorId: session.userId, targetId: session.userId, context });
  });
}
