import type { Tx } from "../../db";

// Attempt limits shared by every server process (rows in the database), safe under concurrency (S36: with a limit
// of L, however many failing attempts arrive in parallel, at most L per cycle are evaluated).
//
// Every attempt at a secret RESERVES a slot before the secret is checked, in one atomic statement
// (INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING): a key that is locked, or whose cycle already holds `limit`
// attempts (failed or still being checked), refuses the reservation, so at most `limit` attempts per cycle are ever
// evaluated however many arrive in parallel. Then the caller settles the reservation:
//   - fail():    it was a failure; the failure that finds the cycle full locks the key (lockMs, growing by
//                `growth` with each lock up to maxLockMs; after `hardLockAfter` consecutive failures for ~100 years).
//   - succeed(): (./reset.ts) a success forgets everything (count, locks, growth) and bumps the key's generation.
//   - release(): the attempt did not count (it lost a race to a success, or failed for another reason).
// A reservation remembers the generation it was taken in: once a success (or an admin unlock) has bumped it, settling
// an older reservation changes nothing, so the other 49 of 50 parallel uses of one recovery code, or a TOTP step
// consumed by a parallel success, neither count as failures nor lock the account that just signed in.
// Only a success (or an administrator) resets a key: starting sign-in again does not (S10). A process that dies
// between reserve and settle leaves its attempt counted until the window passes, which errs on the safe side.

export interface LimitPolicy {
  /** Attempts per cycle; the failure that completes a full cycle locks the key. */
  limit: number;
  /** Attempts older than this are forgotten (the cycle restarts) when the key is not locked. */
  windowMs: number;
  lockMs: number;
  /** Multiplier for each further lock since the last success (1 = constant). */
  growth?: number;
  maxLockMs?: number;
  /** Consecutive failures after which the key stays locked until a success elsewhere or an administrator. */
  hardLockAfter?: number;
}

export interface Reservation {
  key: string;
  generation: number;
  policy: LimitPolicy;
}

export type ReserveResult =
  | { ok: true; reservation: Reservation }
  /** `lockedUntil` null: not locked, but the cycle is full of attempts still being checked (try again shortly). */
  | { ok: false; lockedUntil: Date | null };

export interface FailureState {
  /** Consecutive failures since the last success (including this one); 0 when the reservation was stale. */
  failures: number;
  /** When the key is locked now, until when. */
  lockedUntil: Date | null;
  /** This failure set the lock (exactly one failure per lock sees true). */
  lockedNow: boolean;
  /** Attempts that may still be reserved before the key locks (0 when locked): the "N attempts left" people see. */
  attemptsLeft: number;
}

/** What a key allows now, read without reserving (e.g. to say "locked until …" before anyone submits). */
export interface KeyState {
  lockedUntil: Date | null;
  /** Consecutive failures since the last success. */
  failures: number;
  attemptsLeft: number;
}

const HARD_LOCK_MS = 100 * 365 * 24 * 3600_000;

/** Reserves one attempt on `key` (see above); refused when locked or when the cycle is full. */
export async function reserve(tx: Tx, key: string, policy: LimitPolicy, now = new Date()): Promise<ReserveResult> {
  const windowStart = new Date(now.getTime() - policy.windowMs);
  // One round trip either way: when the reservation is refused, the lock (read from the statement's snapshot, i.e.
  // as it was when refused) comes back with it.
  const rows = await tx.$queryRaw<{ generation: number | null; lockedUntil: Date | null }[]>`
    WITH reserved AS (
      INSERT INTO "RateLimit" ("key", "count", "windowStart", "lockouts", "failures", "generation", "updatedAt")
      VALUES (${key}, 1, ${now}, 0, 0, 0, ${now})
      ON CONFLICT ("key") DO UPDATE SET
        "count" = CASE WHEN "RateLimit"."windowStart" < ${windowStart} THEN 1 ELSE "RateLimit"."count" + 1 END,
        "windowStart" = CASE WHEN "RateLimit"."windowStart" < ${windowStart} THEN ${now} ELSE "RateLimit"."windowStart" END,
        "lockedUntil" = NULL,
        "updatedAt" = ${now}
      WHERE ("RateLimit"."lockedUntil" IS NULL OR "RateLimit"."lockedUntil" <= ${now})
        AND ("RateLimit"."windowStart" < ${windowStart} OR "RateLimit"."count" < ${policy.limit})
      RETURNING "generation"
    )
    SELECT (SELECT "generation" FROM reserved) AS "generation",
           (SELECT "lockedUntil" FROM "RateLimit" WHERE "key" = ${key}) AS "lockedUntil"`;
  const row = rows[0];
  if (row && row.generation !== null) return { ok: true, reservation: { key, generation: row.generation, policy } };
  const until = row?.lockedUntil ?? null;
  return { ok: false, lockedUntil: until && until > now ? until : null };
}

/**
 * Reserves one attempt on every key, all or nothing: when one refuses, the reservations already taken are released.
 * Returns the reservations, or the refusal with the latest lock among the refusing keys.
 */
export async function reserveAll(
  tx: Tx,
  keys: { key: string; policy: LimitPolicy }[],
  now = new Date(),
): Promise<{ ok: true; reservations: Reservation[] } | { ok: false; lockedUntil: Date | null }> {
  const reservations: Reservation[] = [];
  for (const { key, policy } of keys) {
    const r = await reserve(tx, key, policy, now);
    if (!r.ok) {
      for (const held of reservations) await release(tx, held);
      return r;
    }
    reservations.push(r.reservation);
  }
  return { ok: true, reservations };
}

/** Settles a reservation as a failure (one statement), locking the key when the cycle is full. */
export async function fail(tx: Tx, reservation: Reservation, now = new Date()): Promise<FailureState> {
  const { key, generation, policy } = reservation;
  const growth = policy.growth ?? 1;
  const maxLock = policy.maxLockMs ?? policy.lockMs;
  const hardAfter = policy.hardLockAfter ?? 2_147_483_647;
  const rows = await tx.$queryRaw<{ failures: number; count: number; lockedUntil: Date | null; lockedNow: boolean }[]>`
    WITH prev AS (
      SELECT "count", "failures", "lockouts",
             ("lockedUntil" IS NOT NULL AND "lockedUntil" > ${now}) AS "locked"
      FROM "RateLimit" WHERE "key" = ${key} AND "generation" = ${generation} FOR UPDATE
    ), decided AS (
      SELECT *, (NOT "locked" AND ("count" >= ${policy.limit} OR "failures" + 1 >= ${hardAfter})) AS "lockNow"
      FROM prev
    )
    UPDATE "RateLimit" AS r SET
      "failures" = r."failures" + 1,
      "lockedUntil" = CASE
        WHEN NOT d."lockNow" THEN r."lockedUntil"
        WHEN r."failures" + 1 >= ${hardAfter} THEN ${now}::timestamp + (${HARD_LOCK_MS}::float8 * interval '1 millisecond')
        ELSE ${now}::timestamp + (LEAST(${policy.lockMs}::float8 * POWER(${growth}::float8, r."lockouts"), ${maxLock}::float8) * interval '1 millisecond')
      END,
      "lockouts" = CASE WHEN d."lockNow" THEN r."lockouts" + 1 ELSE r."lockouts" END,
      "count" = CASE WHEN d."lockNow" THEN 0 ELSE r."count" END,
      "updatedAt" = ${now}
    FROM decided AS d
    WHERE r."key" = ${key} AND r."generation" = ${generation}
    RETURNING r."failures", r."count", r."lockedUntil", d."lockNow" AS "lockedNow"`;
  const row = rows[0];
  if (!row) return { failures: 0, lockedUntil: null, lockedNow: false, attemptsLeft: 0 };
  const lockedUntil = row.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null;
  return {
    failures: row.failures,
    lockedUntil,
    lockedNow: row.lockedNow,
    attemptsLeft: lockedUntil ? 0 : attemptsLeftOf(policy, row.count, row.failures),
  };
}

/** Attempts left before a lock: the rest of the cycle, or fewer when the hard lock is nearer. */
function attemptsLeftOf(policy: LimitPolicy, count: number, failures: number): number {
  const hardAfter = policy.hardLockAfter ?? Number.POSITIVE_INFINITY;
  return Math.max(0, Math.min(policy.limit - count, hardAfter - failures));
}

/** The state of `key` now (no reservation, no write): locked until when, failures, attempts left. */
export async function peek(tx: Tx, key: string, policy: LimitPolicy, now = new Date()): Promise<KeyState> {
  const row = await tx.rateLimit.findUnique({
    where: { key },
    select: { count: true, windowStart: true, lockedUntil: true, failures: true },
  });
  if (!row) return { lockedUntil: null, failures: 0, attemptsLeft: attemptsLeftOf(policy, 0, 0) };
  const lockedUntil = row.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null;
  const count = row.windowStart.getTime() < now.getTime() - policy.windowMs ? 0 : row.count;
  return {
    lockedUntil,
    failures: row.failures,
    attemptsLeft: lockedUntil ? 0 : attemptsLeftOf(policy, count, row.failures),
  };
}

/** Gives the slot back: the attempt does not count. Returns false (and changes nothing) when a success or an unlock
 *  came in between, i.e. the attempt lost a race to a success. */
export async function release(tx: Tx, reservation: Reservation): Promise<boolean> {
  const changed = await tx.$executeRaw`
    UPDATE "RateLimit" SET "count" = GREATEST("count" - 1, 0)
    WHERE "key" = ${reservation.key} AND "generation" = ${reservation.generation}`;
  return changed > 0;
}
