import { db, type Tx } from "../db";
import { type MailTemplates, renderStoredMail, type TemplateName } from "../mail/render";
import {
  type MailTransport,
  mailTransport,
  type OutgoingMail,
  type SendOutcome,
  safeErrorText,
} from "../mail/transport";
import type { RequestContext } from "./audit-log";

// The transactional outbox. Services call `enqueueMail(tx, …)` inside the transaction that makes the change, so the
// mail exists exactly when the change does; nothing is sent there. `deliverDueMessages` (run by the inline worker or
// `npm run worker`) claims due rows exclusively (FOR UPDATE SKIP LOCKED + a 60 s lease), sends them in provider calls
// of up to 100, and records SENT, a retry with backoff, or DEAD.

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
  // A JSON round trip stores exactly what the template will get back (no undefined, no Date objects).
  return { kind: "EMAIL" as const, to, template: message.template, payload: JSON.parse(JSON.stringify(message.data)) };
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
  const rows = JSON.stringify(messages.map(row).map(({ to, template, payload }) => ({ to, template, payload })));
  const count = await tx.$executeRaw`
    INSERT INTO "OutboxMessage" ("id", "kind", "to", "template", "payload", "nextAttemptAt", "createdAt")
    SELECT 'ob' || replace(gen_random_uuid()::text, '-', ''), 'EMAIL', x."to", x."template", x."payload",
           (${at}::timestamptz AT TIME ZONE 'UTC'), (${at}::timestamptz AT TIME ZONE 'UTC')
    FROM jsonb_to_recordset(${rows}::jsonb) AS x("to" text, "template" text, "payload" jsonb)`;
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
}

interface ClaimedRow {
  id: string;
  to: string;
  template: string;
  payload: unknown;
  attempts: number;
}

// Timestamps cross as ISO text and are converted to the UTC `timestamp(3)` Prisma stores, whatever the session time zone.
async function claim(now: Date, leaseUntil: string, limit: number): Promise<ClaimedRow[]> {
  const rows = await db.$queryRaw<ClaimedRow[]>`
    UPDATE "OutboxMessage" AS o SET "lockedUntil" = (${leaseUntil}::timestamptz AT TIME ZONE 'UTC')
    WHERE o.id IN (
      SELECT id FROM "OutboxMessage"
      WHERE status = 'PENDING' AND kind = 'EMAIL'
        AND "nextAttemptAt" <= (${now.toISOString()}::timestamptz AT TIME ZONE 'UTC')
        AND ("lockedUntil" IS NULL OR "lockedUntil" <= (${now.toISOString()}::timestamptz AT TIME ZONE 'UTC'))
      ORDER BY "nextAttemptAt", id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING o.id, o."to", o.template, o.payload, o.attempts`;
  return rows.sort((a, b) => (a.id < b.id ? -1 : 1));
}

async function markSent(sent: { outboxId: string; providerId: string }[], now: Date): Promise<void> {
  if (sent.length === 0) return;
  await db.$executeRaw`
    UPDATE "OutboxMessage" AS o
    SET status = 'SENT', "sentAt" = (${now.toISOString()}::timestamptz AT TIME ZONE 'UTC'), "providerId" = v.provider_id,
        "lockedUntil" = NULL, "lastError" = NULL
    FROM unnest(${sent.map((s) => s.outboxId)}::text[], ${sent.map((s) => s.providerId)}::text[]) AS v(id, provider_id)
    WHERE o.id = v.id AND o.status = 'PENDING'`;
}

interface Failure {
  id: string;
  attempts: number;
  dead: boolean;
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
        "nextAttemptAt" = (v.next_at::timestamptz AT TIME ZONE 'UTC'), "lastError" = v.error, "lockedUntil" = NULL
    FROM unnest(${failures.map((f) => f.id)}::text[], ${failures.map((f) => f.attempts)}::int[],
                ${failures.map((f) => f.dead)}::boolean[], ${failures.map((f) => f.nextAttemptAt)}::text[],
                ${failures.map((f) => f.error)}::text[]) AS v(id, attempts, dead, next_at, error)
    WHERE o.id = v.id AND o.status = 'PENDING'
      AND o."lockedUntil" = (${leaseUntil}::timestamptz AT TIME ZONE 'UTC')`;
}

async function sendChunk(transport: MailTransport, mails: OutgoingMail[]): Promise<SendOutcome[]> {
  try {
    return await transport.send(mails);
  } catch (e) {
    const error = safeErrorText(`${transport.name} transport error: ${e instanceof Error ? e.message : String(e)}`);
    return mails.map((m) => ({ outboxId: m.outboxId, ok: false, error, permanent: false }));
  }
}

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

  const outcomes: SendOutcome[] = [];
  const ready: OutgoingMail[] = [];
  for (const m of claimed) {
    try {
      ready.push({ outboxId: m.id, to: m.to, ...(await renderStoredMail(m.template, m.payload)) });
    } catch (e) {
      const error = safeErrorText(`render failed: ${e instanceof Error ? e.message : String(e)}`);
      outcomes.push({ outboxId: m.id, ok: false, error, permanent: false });
    }
  }
  for (let i = 0; i < ready.length; i += transport.maxBatchSize) {
    report.providerCalls++;
    outcomes.push(...(await sendChunk(transport, ready.slice(i, i + transport.maxBatchSize))));
  }

  const attemptsById = new Map(claimed.map((m) => [m.id, m.attempts]));
  const sent: { outboxId: string; providerId: string }[] = [];
  const failures: Failure[] = [];
  for (const o of outcomes) {
    if (o.ok) {
      sent.push(o);
      continue;
    }
    const attempts = (attemptsById.get(o.outboxId) ?? 0) + 1;
    const dead = o.permanent || attempts >= MAX_ATTEMPTS;
    const delay = Math.max(backoffMs(attempts), o.retryAfterMs ?? 0);
    const nextAttemptAt = new Date(now.getTime() + delay).toISOString();
    failures.push({ id: o.outboxId, attempts, dead, nextAttemptAt, error: o.error });
  }
  await markSent(sent, now);
  await markFailed(failures, leaseUntil);
  report.sent = sent.length;
  report.dead = failures.filter((f) => f.dead).length;
  report.failed = failures.length - report.dead;
  return report;
}
