import { randomUUID } from "node:crypto";
import { db, type Tx } from "../../db";
import { type MailTemplates, renderStoredMail, type TemplateName } from "../../mail/render";
import { openPayload, sealPayload } from "../../mail/sealed-payload";
import {
  groupKey,
  type MailTransport,
  mailTransport,
  type OutgoingMail,
  type SendOutcome,
  safeErrorText,
} from "../../mail/transport";
import type { RequestContext } from "../audit/audit-log";

// The transactional outbox. Services call `enqueueMail(tx, …)` inside the transaction that makes the change, so the
// mail exists exactly when the change does; nothing is sent there. Codes, tokens and links in the mail are sealed
// (S41, lib/mail/sealed-payload.ts) and removed from the row once it is sent. `deliverDueMessages` (run by the inline
// worker or `npm run worker`) claims due rows exclusively (FOR UPDATE SKIP LOCKED + a 60 s lease), sends them in
// provider calls of up to 100, and records SENT, a retry with backoff, or DEAD.
//
// Exactly once: before the first provider call for a group of mails, its Idempotency-Key is stored on every row of
// the group (`batchKey`). A failed call is retried as the SAME group under the SAME key — the rows share one retry
// time, are claimed together or not at all, and are never regrouped — so when Resend accepted a call whose answer
// was lost, the retry gets Resend's stored answer instead of delivering the mails again.

/** One mail to enqueue: the template name decides the shape of `data`. */
export type MailMessage = { [K in TemplateName]: { to: string; template: K; data: MailTemplates[K] } }[TemplateName];

export const MAX_ATTEMPTS = 12;
export const CLAIM_LEASE_MS = 60_000;
/** Claims per run are capped so a run ends well within its 60 s lease (10 provider calls at most). */
const MAX_CLAIM = 1000;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 3_600_000;

function row(message: MailMessage) {
  const to = message.to.trim();
  if (!to.includes("@")) throw new Error("enqueueMail: `to` must be an email address");
  const id = `ob${randomUUID().replaceAll("-", "")}`;
  // A JSON round trip stores exactly what the template will get back (no undefined, no Date objects).
  const data = JSON.parse(JSON.stringify(message.data)) as Record<string, unknown>;
  const payload = sealPayload({ id, template: message.template, to }, data);
  return { id, kind: "EMAIL" as const, to, template: message.template, payload: payload as object };
}

/** What every security notice says about the change: to whom, when and from where (S33). */
export function securityNoticeData(name: string, context: RequestContext, now: Date) {
  return { name, ip: context.ip ?? undefined, userAgent: context.userAgent ?? undefined, at: now.toISOString() };
}

/** Adds one mail to the outbox in the caller's transaction. Never sends. */
export async function enqueueMail(tx: Tx, message: MailMessage): Promise<{ id: string }> {
  return tx.outboxMessage.create({ data: { ...row(message), nextAttemptAt: new Date() }, select: { id: true } });
}

/**
 * Adds many mails in one statement (e.g. an announcement to every member), in the caller's transaction. The rows
 * travel as ONE jsonb parameter expanded by jsonb_to_recordset: 10,000 mails insert in ~0.1 s, where Prisma's
 * createMany (thousands of bind parameters, split into chunks) took ~2.7 s (bench/enforcement.ts).
 */
export async function enqueueMailBatch(tx: Tx, messages: MailMessage[]): Promise<{ count: number }> {
  if (messages.length === 0) return { count: 0 };
  const at = new Date().toISOString();
  const rows = JSON.stringify(
    messages.map(row).map(({ id, to, template, payload }) => ({ id, to, template, payload })),
  );
  const count = await tx.$executeRaw`
    INSERT INTO "OutboxMessage" ("id", "kind", "to", "template", "payload", "nextAttemptAt", "createdAt")
    SELECT x."id", 'EMAIL', x."to", x."template", x."payload",
           (${at}::timestamptz AT TIME ZONE 'UTC'), (${at}::timestamptz AT TIME ZONE 'UTC')
    FROM jsonb_to_recordset(${rows}::jsonb) AS x("id" text, "to" text, "template" text, "payload" jsonb)`;
  return { count };
}

/** Delay before retry number `attempts` (1 = after the first failure): 30 s, 1 min, 2 min … capped at 1 h, minus up
 *  to 20 % jitter so that a burst of failures does not retry in lockstep. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1), MAX_DELAY_MS);
  return Math.round(base * (1 - 0.2 * random()));
}

export interface DeliveryReport {
  claimed: number;
  sent: number;
  /** failed this time, scheduled for a retry */
  failed: number;
  /** failed for good (permanent error, or the MAX_ATTEMPTS-th failure) */
  dead: number;
  providerCalls: number;
  /** set when the provider refuses because of its configuration (key, sender domain): mail waits, never DEAD */
  configurationProblem?: string;
}

interface ClaimedRow {
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
async function claim(now: Date, leaseUntil: string, limit: number): Promise<ClaimedRow[]> {
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
async function assignGroups(groups: { key: string; ids: string[] }[], leaseUntil: string): Promise<Set<string>> {
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
async function markSent(sent: { outboxId: string; providerId: string | null }[], now: Date): Promise<void> {
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

interface Failure {
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
async function markFailed(failures: Failure[], leaseUntil: string): Promise<void> {
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

async function sendGroup(transport: MailTransport, mails: OutgoingMail[], key: string): Promise<SendOutcome[]> {
  try {
    return await transport.send(mails, { idempotencyKey: key });
  } catch (e) {
    const error = safeErrorText(`${transport.name} transport error: ${e instanceof Error ? e.message : String(e)}`);
    return mails.map((m) => ({ outboxId: m.outboxId, ok: false, error, kind: "transient", permanent: false }));
  }
}

type Failed = Extract<SendOutcome, { ok: false }>;

/** Claims due mails (at most `limit`), sends them, and records the outcome of each. Safe to run concurrently. */
export async function deliverDueMessages(
  options: { now?: Date; limit?: number; transport?: MailTransport } = {},
): Promise<DeliveryReport> {
  const now = options.now ?? new Date();
  const limit = Math.max(1, Math.min(options.limit ?? 100, MAX_CLAIM));
  const transport = options.transport ?? mailTransport();
  const leaseUntil = new Date(now.getTime() + CLAIM_LEASE_MS).toISOString();
  const report: DeliveryReport = { claimed: 0, sent: 0, failed: 0, dead: 0, providerCalls: 0 };

  const claimed = await claim(now, leaseUntil, limit);
  report.claimed = claimed.length;
  if (claimed.length === 0) return report;

  // Open the sealed secrets and render each mail.
  const notRendered: Failed[] = [];
  const ready = new Map<string, OutgoingMail>();
  for (const m of claimed) {
    try {
      const data = openPayload(m, m.payload);
      ready.set(m.id, { outboxId: m.id, to: m.to, ...(await renderStoredMail(m.template, data)) });
    } catch (e) {
      const error = safeErrorText(`render failed: ${e instanceof Error ? e.message : String(e)}`);
      notRendered.push({ outboxId: m.id, ok: false, error, kind: "transient", permanent: false });
    }
  }

  // Groups: the stored ones as they are (all or nothing: a group with a mail that cannot be rendered waits), new ones
  // from the rest in chunks of the provider's batch size.
  const groups: { key: string; mails: OutgoingMail[] }[] = [];
  const stored = new Map<string, ClaimedRow[]>();
  const fresh: OutgoingMail[] = [];
  for (const m of claimed) {
    if (m.batchKey) stored.set(m.batchKey, [...(stored.get(m.batchKey) ?? []), m]);
    else if (ready.has(m.id)) fresh.push(ready.get(m.id) as OutgoingMail);
  }
  const blocked = new Set(notRendered.map((f) => f.outboxId));
  const outcomes: SendOutcome[] = [...notRendered];
  for (const [key, rows] of stored) {
    if (rows.some((r) => blocked.has(r.id))) {
      const error = "waiting: another mail of its provider call could not be rendered";
      for (const r of rows.filter((r) => !blocked.has(r.id)))
        outcomes.push({ outboxId: r.id, ok: false, error, kind: "transient", permanent: false });
      continue;
    }
    groups.push({ key, mails: rows.map((r) => ready.get(r.id) as OutgoingMail) });
  }
  const newGroups: { key: string; mails: OutgoingMail[] }[] = [];
  for (let i = 0; i < fresh.length; i += transport.maxBatchSize) {
    const mails = fresh.slice(i, i + transport.maxBatchSize);
    newGroups.push({ key: groupKey(mails.map((m) => m.outboxId)), mails });
  }
  const assigned = await assignGroups(
    newGroups.map((g) => ({ key: g.key, ids: g.mails.map((m) => m.outboxId) })),
    leaseUntil,
  );
  // A group whose rows we no longer hold (lease lost) is not sent: its next holder sends it.
  groups.push(...newGroups.filter((g) => g.mails.every((m) => assigned.has(m.outboxId))));

  for (const group of groups) {
    report.providerCalls++;
    outcomes.push(...(await sendGroup(transport, group.mails, group.key)));
  }

  // One retry time per group (never one per row: that would split the group and change its key).
  const attemptsById = new Map(claimed.map((m) => [m.id, m.attempts]));
  const keyById = new Map(claimed.map((m) => [m.id, m.batchKey]));
  for (const g of groups) for (const m of g.mails) keyById.set(m.outboxId, g.key);
  const delayByGroup = new Map<string, number>();
  const sent: { outboxId: string; providerId: string | null }[] = [];
  const failures: Failure[] = [];
  for (const o of outcomes) {
    if (o.ok) {
      sent.push(o);
      continue;
    }
    const attempts = (attemptsById.get(o.outboxId) ?? 0) + 1;
    const dead = o.permanent || (o.kind !== "configuration" && attempts >= MAX_ATTEMPTS);
    const group = keyById.get(o.outboxId) ?? o.outboxId;
    let delay = delayByGroup.get(group);
    if (delay === undefined) {
      delay = Math.max(backoffMs(attempts), o.retryAfterMs ?? 0);
      delayByGroup.set(group, delay);
    }
    if (o.kind === "configuration") report.configurationProblem = o.error;
    const releaseGroup = o.kind === "rejected" || o.kind === "refused";
    const nextAttemptAt = new Date(now.getTime() + delay).toISOString();
    failures.push({ id: o.outboxId, attempts, dead, releaseGroup, nextAttemptAt, error: o.error });
  }
  await markSent(sent, now);
  await markFailed(failures, leaseUntil);
  report.sent = sent.length;
  report.dead = failures.filter((f) => f.dead).length;
  report.failed = failures.length - report.dead;
  return report;
}
