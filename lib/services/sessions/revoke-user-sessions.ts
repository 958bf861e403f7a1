import type { SignOutReason } from "../../auth/sign-out-reasons";
import type { Tx } from "../../db";

/** Revokes every session of a user except `exceptSessionId`; returns how many were revoked. */
export async function revokeUserSessions(
  tx: Tx,
  input: { userId: string; exceptSessionId?: string | null; reason: SignOutReason },
  now = new Date(),
): Promise<number> {
  const { count } = await tx.session.updateMany({
    where: {
      userId: input.userId,
      revokedAt: null,
      ...(input.exceptSessionId ? { id: { not: input.exceptSessionId } } : {}),
    },
    data: { revokedAt: now, revokedReason: input.reason },
  });
  return count;
}
