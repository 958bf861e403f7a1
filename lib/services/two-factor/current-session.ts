import type { Actor } from "../../auth/actor";
import type { Tx } from "../../db";
import { sessionOf } from "../authz";
import { revokeUserSessions } from "../sessions/revoke-user-sessions";

/**
 * Marks the current session as having passed 2FA and signs out the user's other sessions. A new factor (enrollment)
 * also voids any earlier step-up of this session (`stepUp: "clear"`): enrolling never counts as verifying an existing
 * factor (S39: only verifying an existing factor counts as a step-up), so admin actions ask for a fresh code from the
 * new app.
 */
export async function markCurrentSessionVerified(
  tx: Tx,
  actor: Actor,
  now: Date,
  stepUp: "keep" | "clear" = "keep",
): Promise<number> {
  await tx.session.updateMany({
    where: { id: sessionOf(actor), userId: actor.userId },
    data: { secondFactorAt: now, ...(stepUp === "clear" ? { stepUpAt: null } : {}) },
  });
  return revokeUserSessions(
    tx,
    { userId: actor.userId, exceptSessionId: actor.sessionId, reason: "two_factor_changed" },
    now,
  );
}
