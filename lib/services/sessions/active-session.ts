import type { SignOutReason } from "../../auth/sign-out-reasons";
import { db, type Tx } from "../../db";
import { env } from "../../env";

// Whether a session is valid right now (S21: the JWT holds only the session id; this row decides; S22: absolute and
// idle lifetimes).

const TOUCH_AFTER_MS = 60_000;

export type SessionCheck = "valid" | "revoked" | "expired" | "idle" | "missing";

export function checkSession(
  session: { revokedAt: Date | null; expiresAt: Date; lastSeenAt: Date } | null,
  now = new Date(),
  idleMinutes = env.SESSION_IDLE_MINUTES,
): SessionCheck {
  if (!session) return "missing";
  if (session.revokedAt) return "revoked";
  if (session.expiresAt <= now) return "expired";
  if (session.lastSeenAt.getTime() + idleMinutes * 60_000 <= now.getTime()) return "idle";
  return "valid";
}

/** Why a session ended by itself: its row says so once expiry is noticed (S43). */
const EXPIRY_REASON = { expired: "expired", idle: "idle_timeout" } as const satisfies Record<string, SignOutReason>;

/**
 * The session with its user when it is valid right now; bumps lastSeenAt at most once a minute. Expiry is a sign-out
 * too (S43: every sign-out path ends the server session): a session found past its absolute lifetime or idle limit is ended in its row, so nothing revives it
 * later (a touch from a request already in flight, a longer idle setting).
 */
export async function loadActiveSession(
  sessionId: string,
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
) {
  const session = await tx.session.findUnique({ where: { id: sessionId }, include: { user: true } });
  const check = checkSession(session, now);
  if (check === "expired" || check === "idle") {
    await tx.session.updateMany({
      where: { id: sessionId, revokedAt: null },
      data: { revokedAt: now, revokedReason: EXPIRY_REASON[check] },
    });
  }
  if (check !== "valid" || !session) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
    // Only a session still valid is touched: a touch never stretches one that went idle or expired meanwhile.
    await tx.session.updateMany({
      where: {
        id: sessionId,
        revokedAt: null,
        expiresAt: { gt: now },
        lastSeenAt: { gt: new Date(now.getTime() - env.SESSION_IDLE_MINUTES * 60_000) },
      },
      data: { lastSeenAt: now },
    });
  }
  return session;
}

export async function listActiveSessions(userId: string, { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {}) {
  const rows = await tx.session.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: now } },
    orderBy: { lastSeenAt: "desc" },
  });
  return rows.filter((s) => checkSession(s, now) === "valid");
}
