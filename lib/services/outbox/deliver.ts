import { renderStoredMail } from "../../mail/render";
import { openPayload } from "../../mail/sealed-payload";
import {
  groupKey,
  type MailTransport,
  mailTransport,
  type OutgoingMail,
  type SendOutcome,
  safeErrorText,
} from "../../mail/transport";
import { assignGroups, type ClaimedRow, claim, type Failure, markFailed, markSent } from "./delivery-rows";

// The transactional outbox, delivery side (enqueueing is outbox.ts). `deliverDueMessages` (run by the inline worker or
// `npm run worker`) claims due rows exclusively (FOR UPDATE SKIP LOCKED + a 60 s lease), sends them in provider calls
// of up to 100, and records SENT, a retry with backoff, or DEAD. Sent rows lose their sealed secrets (S41).
//
// Exactly once: before the first provider call for a group of mails, its Idempotency-Key is stored on every row of
// the group (`batchKey`). A failed call is retried as the SAME group under the SAME key — the rows share one retry
// time, are claimed together or not at all, and are never regrouped — so when Resend accepted a call whose answer
// was lost, the retry gets Resend's stored answer instead of delivering the mails again.

export const MAX_ATTEMPTS = 12;
const CLAIM_LEASE_MS = 60_000;
/** Claims per run are capped so a run ends well within its 60 s lease (10 provider calls at most). */
const MAX_CLAIM = 1000;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 3_600_000;

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
