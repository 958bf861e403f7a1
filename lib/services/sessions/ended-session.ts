import { isSignOutReason, type SignOutReason } from "../../auth/sign-out-reasons";
import { db, type Tx } from "../../db";

/**
 * Why the session with this id ended (issue 10 item 4), or null when it is still valid, unknown, or ended without a
 * known reason. The caller passes the id its own browser's session cookie carries (never one from user input), so the
 * answer only ever concerns that browser's own session. The reason code is all it returns: no name, no email.
 * Call it after loadActiveSession, which records an expiry it notices.
 */
export async function endedSessionReason(
  { input }: { input: { sessionId: string } },
  { tx = db }: { tx?: Tx } = {},
): Promise<SignOutReason | null> {
  const row = await tx.session.findUnique({
    where: { id: input.sessionId },
    select: { revokedAt: true, revokedReason: true },
  });
  if (!row?.revokedAt || !isSignOutReason(row.revokedReason)) return null;
  return row.revokedReason;
}
