import { db } from "../../db";

// The outbox rows as the delivery run sees them: claim, group, mark sent, mark failed. Every statement is set-based
// and guarded by the claim's lease, so concurrent workers never step on each other's rows.

export interface ClaimedRow {
  id: string;
  to: string;
  template: string;
  payload: unknown;
  attempts: number;
  batchKey: string | null;
}

// Timestamps cross as ISO text and are converted to the UTC `timestamp(3)` Prisma stores, whatever the session time
// zone. A row that belongs to a group (batchKey) is claimed only with every other PENDING row of its group: the rest of
// a group cut by LIMIT is claimed with it (so a run may take up to a group's size more than `limit`), and a group
// partly held by another worker waits for a later run.
export async function claim(now: Date, leaseUntil: string, limit: number): Promise<ClaimedRow[]> {
  const at = now.toISOString();
  const rows = await db.$queryRaw<ClaimedRow[]>`
    WITH head AS (
      SELECT id, "batchKey" FROM "OutboxMessage"
      WHERE status = 'PENDING' AND kind = 'EMAIL'
        AND "nextAttemptAt" <= (${at}::timestamptz AT TIME ZONE 'UTC')
        AND ("lockedUntil" IS NULL OR "lockedUntil" <= (${at}::timestamptz AT TIME ZONE 'UTC'))
      ORDER BY "nextAttemptAt", coalesce("batchKey", id), id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ), rest AS (
      SELECT id, "batchKey" FROM "OutboxMessage"
      WHERE "batchKey" IN (SELECT "batchKey" FROM head WHERE "batchKey" IS NOT NULL)
        AND id NOT IN (SELECT id FROM head)
        AND status = 'PENDING' AND kind = 'EMAIL'
        AND "nextAttemptAt" <= (${at}::timestamptz AT TIME ZONE 'UTC')
        AND ("lockedUntil" IS NULL OR "lockedUntil" <= (${at}::timestamptz AT TIME ZONE 'UTC'))
      FOR UPDATE SKIP LOCKED
    ), candidate AS (
      SELECT id, "batchKey" FROM head UNION ALL SELECT id, "batchKey" FROM rest
    ), complete AS (
      SELECT c.id FROM candidate c
      WHERE c."batchKey" IS NULL OR NOT EXISTS (
        SELECT 1 FROM "OutboxMessage" m
        WHERE m."batchKey" = c."batchKey" AND m.status = 'PENDING' AND m.id NOT IN (SELECT id FROM candidate))
    )
    UPDATE "OutboxMessage" AS o SET "lockedUntil" = (${leaseUntil}::timestamptz AT TIME ZONE 'UTC')
    FROM complete WHERE o.id = complete.id
    RETURNING o.id, o."to", o.template, o.payload, o.attempts, o."batchKey"`;
  return rows.sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** Stores the Idempotency-Key of each new group on its rows BEFORE the call (only rows we still hold). */
export async function assignGroups(groups: { key: string; ids: string[] }[], leaseUntil: string): Promise<Set<string>> {
  if (groups.length === 0) return new Set();
  const ids = groups.flatMap((g) => g.ids);
  const keys = groups.flatMap((g) => g.ids.map(() => g.key));
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE "OutboxMessage" AS o SET "batchKey" = v.key
    FROM unnest(${ids}::text[], ${keys}::text[]) AS v(id, key)
    WHERE o.id = v.id AND o.status = 'PENDING' AND o."batchKey" IS NULL
      AND o."lockedUntil" = (${leaseUntil}::timestamptz AT TIME ZONE 'UTC')
    RETURNING o.id`;
  return new Set(rows.map((r) => r.id));
}

// SENT: the sealed secrets are removed from the payload (S41); the names of the removed fields stay.
export async function markSent(sent: { outboxId: string; providerId: string | null }[], now: Date): Promise<void> {
  if (sent.length === 0) return;
  await db.$executeRaw`
    UPDATE "OutboxMessage" AS o
    SET status = 'SENT', "sentAt" = (${now.toISOString()}::timestamptz AT TIME ZONE 'UTC'), "providerId" = v.provider_id,
        "lockedUntil" = NULL, "lastError" = NULL,
        payload = CASE WHEN o.payload -> '$sealed' IS NULL THEN o.payload
                       ELSE (o.payload - '$sealed') || jsonb_build_object('$scrubbed', o.payload -> '$sealed' -> 'fields')
                  END
    FROM unnest(${sent.map((s) => s.outboxId)}::text[], ${sent.map((s) => s.providerId)}::text[]) AS v(id, provider_id)
    WHERE o.id = v.id AND o.status = 'PENDING'`;
}

export interface Failure {
  id: string;
  attempts: number;
  dead: boolean;
  /** the provider answered that nothing was accepted: the row may be sent in another group (or requeued) later */
  releaseGroup: boolean;
  nextAttemptAt: string;
  error: string;
}

// Only the current lease holder records a failure: a worker whose lease expired must not reschedule a row that
// another worker has claimed since.
export async function markFailed(failures: Failure[], leaseUntil: string): Promise<void> {
  if (failures.length === 0) return;
  await db.$executeRaw`
    UPDATE "OutboxMessage" AS o
    SET attempts = v.attempts, status = (CASE WHEN v.dead THEN 'DEAD' ELSE 'PENDING' END)::"OutboxStatus",
        "nextAttemptAt" = (v.next_at::timestamptz AT TIME ZONE 'UTC'), "lastError" = v.error, "lockedUntil" = NULL,
        "batchKey" = CASE WHEN v.release THEN NULL ELSE o."batchKey" END
    FROM unnest(${failures.map((f) => f.id)}::text[], ${failures.map((f) => f.attempts)}::int[],
                ${failures.map((f) => f.dead)}::boolean[], ${failures.map((f) => f.releaseGroup)}::boolean[],
                ${failures.map((f) => f.nextAttemptAt)}::text[], ${failures.map((f) => f.error)}::text[])
         AS v(id, attempts, dead, release, next_at, error)
    WHERE o.id = v.id AND o.status = 'PENDING'
      AND o."lockedUntil" = (${leaseUntil}::timestamptz AT TIME ZONE 'UTC')`;
}

// Texts (kind SMS, issue 12): one provider call per text, so no groups. `batchKey` holds "sms-attempt:<id>@<ISO time>",
// written before the first call whose answer may be lost, and kept until the text is SENT or a provider answer says
// nothing was created: a row claimed with it set is looked up at the provider before it is sent again.
export async function claimTexts(now: Date, leaseUntil: string, limit: number): Promise<ClaimedRow[]> {
  const at = now.toISOString();
  return db.$queryRaw<ClaimedRow[]>`
    UPDATE "OutboxMessage" AS o SET "lockedUntil" = (${leaseUntil}::timestamptz AT TIME ZONE 'UTC')
    FROM (
      SELECT id FROM "OutboxMessage"
      WHERE status = 'PENDING' AND kind = 'SMS'
        AND "nextAttemptAt" <= (${at}::timestamptz AT TIME ZONE 'UTC')
        AND ("lockedUntil" IS NULL OR "lockedUntil" <= (${at}::timestamptz AT TIME ZONE 'UTC'))
      ORDER BY "nextAttemptAt", id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ) AS due
    WHERE o.id = due.id
    RETURNING o.id, o."to", o.template, o.payload, o.attempts, o."batchKey"`;
}

/** Records that a text is about to be sent (kept: the earliest attempt), while we still hold it; false when we lost
 *  the lease (then it must not be sent). */
export async function markTextAttempt(id: string, leaseUntil: string, now: Date): Promise<boolean> {
  // One marker per row (the operator's requeue moves rows that share a batchKey together).
  const marker = `sms-attempt:${id}@${now.toISOString()}`;
  const n = await db.$executeRaw`
    UPDATE "OutboxMessage" SET "batchKey" = coalesce("batchKey", ${marker})
    WHERE id = ${id} AND status = 'PENDING' AND "lockedUntil" = (${leaseUntil}::timestamptz AT TIME ZONE 'UTC')`;
  return n === 1;
}
