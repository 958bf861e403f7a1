import type { Tx } from "../db";

// Failure counters shared by every server process (rows in the database, updated atomically).
// A key counts failures inside a window; reaching `limit` locks the key for `lockMs` (growing with each
// lockout when `growth` > 1). Only `clear` (a success) resets it: starting again does not.

export interface LimitPolicy {
  limit: number;
  windowMs: number;
  lockMs: number;
  /** Multiplier for each further lockout (1 = constant). */
  growth?: number;
  maxLockMs?: number;
}

export interface LimitState {
  count: number;
  lockedUntil: Date | null;
}

export async function lockedUntil(tx: Tx, key: string, now = new Date()): Promise<Date | null> {
  const row = await tx.rateLimit.findUnique({ where: { key }, select: { lockedUntil: true } });
  return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null;
}

/** Records one failure atomically and returns the new state (locked when the limit was reached). */
export async function recordFailure(tx: Tx, key: string, policy: LimitPolicy, now = new Date()): Promise<LimitState> {
  const windowStart = new Date(now.getTime() - policy.windowMs);
  const growth = policy.growth ?? 1;
  const maxLock = policy.maxLockMs ?? policy.lockMs * 16;
  // One statement: insert or increment (restarting the window when it has passed), then lock when the
  // count reaches the limit. Concurrent callers serialize on the row, so the count is exact.
  const rows = await tx.$queryRaw<{ count: number; lockedUntil: Date | null }[]>`
    INSERT INTO "RateLimit" ("key", "count", "windowStart", "lockouts", "updatedAt")
    VALUES (${key}, 1, ${now}, 0, ${now})
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimit"."windowStart" < ${windowStart} AND ("RateLimit"."lockedUntil" IS NULL OR "RateLimit"."lockedUntil" < ${now})
                     THEN 1 ELSE "RateLimit"."count" + 1 END,
      "windowStart" = CASE WHEN "RateLimit"."windowStart" < ${windowStart} AND ("RateLimit"."lockedUntil" IS NULL OR "RateLimit"."lockedUntil" < ${now})
                     THEN ${now} ELSE "RateLimit"."windowStart" END,
      "updatedAt" = ${now}
    RETURNING "count", "lockedUntil", "lockouts"`;
  const row = rows[0];
  if (!row) throw new Error("rate limit upsert returned no row");
  if (row.count >= policy.limit && row.count % policy.limit === 0) {
    const locked = await tx.$queryRaw<{ lockedUntil: Date }[]>`
      UPDATE "RateLimit" SET
        "lockedUntil" = ${now}::timestamp + (LEAST(${policy.lockMs}::float8 * POWER(${growth}::float8, "lockouts"), ${maxLock}::float8) * interval '1 millisecond'),
        "lockouts" = "lockouts" + 1
      WHERE "key" = ${key}
      RETURNING "lockedUntil"`;
    return { count: row.count, lockedUntil: locked[0]?.lockedUntil ?? null };
  }
  return { count: row.count, lockedUntil: row.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null };
}

/** A success: forget the failures (and the lock) of this key. */
export async function clearFailures(tx: Tx, key: string): Promise<void> {
  await tx.rateLimit.deleteMany({ where: { key } });
}

export const passwordPolicies = {
  account: { limit: 10, windowMs: 15 * 60_000, lockMs: 15 * 60_000, growth: 2, maxLockMs: 24 * 60 * 60_000 },
  ip: { limit: 50, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
} satisfies Record<string, LimitPolicy>;
