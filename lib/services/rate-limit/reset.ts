import type { Tx } from "../../db";

// Forgetting attempts: a success, or an administrator's unlock (lib/services/sign-in/unlock-teammate.ts).

/** A success (or an administrator's unlock): forget the failures, locks and growth of `key`, and start a new
 *  generation so that reservations taken before it settle as nothing. */
export async function succeed(tx: Tx, key: string, now = new Date()): Promise<void> {
  await tx.$executeRaw`
    UPDATE "RateLimit" SET "count" = 0, "failures" = 0, "lockouts" = 0, "lockedUntil" = NULL,
      "windowStart" = ${now}, "generation" = "generation" + 1, "updatedAt" = ${now}
    WHERE "key" = ${key}`;
}

/** The same for every key starting with `prefix` (e.g. all the networks of one account). Returns how many were
 *  locked. */
export async function succeedPrefix(tx: Tx, prefix: string, now = new Date()): Promise<number> {
  const rows = await tx.$queryRaw<{ wasLocked: boolean }[]>`
    UPDATE "RateLimit" AS r SET "count" = 0, "failures" = 0, "lockouts" = 0, "lockedUntil" = NULL,
      "windowStart" = ${now}, "generation" = r."generation" + 1, "updatedAt" = ${now}
    FROM (SELECT "key", ("lockedUntil" IS NOT NULL AND "lockedUntil" > ${now}) AS "wasLocked"
          FROM "RateLimit" WHERE starts_with("key", ${prefix}) FOR UPDATE) AS old
    WHERE r."key" = old."key"
    RETURNING old."wasLocked"`;
  return rows.filter((r) => r.wasLocked).length;
}

/** When `key` is locked now, until when. */
export async function lockedUntil(tx: Tx, key: string, now = new Date()): Promise<Date | null> {
  const row = await tx.rateLimit.findUnique({ where: { key }, select: { lockedUntil: true } });
  return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null;
}
