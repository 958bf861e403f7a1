import { randomToken } from "../crypto/tokens";
import { db, inTransaction, type Tx } from "../db";
import { env } from "../env";
import { DomainError } from "../errors";
import { type RequestContext, recordAuditEvent } from "./audit/audit-log";
import { auditForUser } from "./two-factor/verification";

// Server-side sessions (S21, S22). The JWT holds only the session id; this row decides whether it is valid.

const TOUCH_AFTER_MS = 60_000;

export interface NewSession {
  userId: string;
  authMethod: string;
  secondFactorAt?: Date | null;
  /** From sessionGateAtStart, in the same transaction. */
  setupRequiredAtStart?: boolean;
  context: RequestContext;
}

export async function createSession(tx: Tx, input: NewSession, now = new Date()) {
  return tx.session.create({
    data: {
      id: randomToken(24),
      userId: input.userId,
      authMethod: input.authMethod,
      secondFactorAt: input.secondFactorAt ?? null,
      // A session is created only by a sign-in, whose second factor is always an existing one: it counts as a step-up.
      stepUpAt: input.secondFactorAt ?? null,
      setupRequiredAtStart: input.setupRequiredAtStart ?? false,
      ip: input.context.ip,
      userAgent: input.context.userAgent?.slice(0, 512) ?? null,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + env.SESSION_MAX_AGE_HOURS * 3_600_000),
    },
  });
}

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
const EXPIRY_REASON = { expired: "expired", idle: "idle-timeout" } as const;

/**
 * The session with its user when it is valid right now; bumps lastSeenAt at most once a minute. Expiry is a sign-out
 * too (S43): a session found past its absolute lifetime or idle limit is ended in its row, so nothing revives it
 * later (a touch from a request already in flight, a longer idle setting).
 */
export async function loadActiveSession(sessionId: string, now = new Date(), tx: Tx = db) {
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

export async function listActiveSessions(userId: string, now = new Date(), tx: Tx = db) {
  const rows = await tx.session.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: now } },
    orderBy: { lastSeenAt: "desc" },
  });
  return rows.filter((s) => checkSession(s, now) === "valid");
}

/** Signs out one session of the acting user (their own sessions only). */
export async function revokeOwnSession(
  input: { userId: string; sessionId: string; context: RequestContext },
  tx: Tx = db,
): Promise<void> {
  await inTransaction(tx, async (t) => {
    const { count } = await t.session.updateMany({
      where: { id: input.sessionId, userId: input.userId, revokedAt: null },
      data: { revokedAt: new Date(), revokedReason: "signed-out" },
    });
    if (count !== 1) throw new DomainError("NOT_FOUND");
    // S40: recorded in every organization of the account.
    await auditForUser(t, input.userId, "session.revoked", input.context, { sessionId: input.sessionId });
  });
}

/** Revokes every session of a user except `keepSessionId`; returns how many were revoked. */
export async function revokeUserSessions(
  tx: Tx,
  input: { userId: string; exceptSessionId?: string | null; reason: string },
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

/** Signs out exactly this session (any sign-out path: the app's button, next-auth's endpoint); audited once, however
 *  many sign-outs of it race. A session already ended stays as it was. */
export async function signOutSession(sessionId: string, context: RequestContext, tx: Tx = db): Promise<void> {
  await inTransaction(tx, async (t) => {
    const session = await t.session.findUnique({ where: { id: sessionId }, select: { userId: true } });
    if (!session) return;
    const { count } = await t.session.updateMany({
      where: { id: sessionId, revokedAt: null },
      data: { revokedAt: new Date(), revokedReason: "signed-out" },
    });
    if (count === 1)
      await recordAuditEvent(t, { type: "signout", actorId: session.userId, targetId: session.userId, context });
  });
}

/** "Sign out all other sessions" (S23): one set-based update; the current session stays. */
export async function signOutOtherSessions(
  input: { userId: string; currentSessionId: string; context: RequestContext },
  tx: Tx = db,
): Promise<number> {
  return inTransaction(tx, async (t) => {
    const count = await revokeUserSessions(t, {
      userId: input.userId,
      exceptSessionId: input.currentSessionId,
      reason: "signed-out-by-user",
    });
    if (count > 0) await auditForUser(t, input.userId, "session.revoked", input.context, { others: count });
    return count;
  });
}
