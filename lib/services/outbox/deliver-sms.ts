import { safeErrorText } from "../../mail/transport";
import { openText } from "../../sms/sealed-text";
import { type OutgoingText, type SmsSender, smsSender, type TextOutcome } from "../../sms/sender";
import { backoffMs, type DeliveryReport, MAX_ATTEMPTS } from "./deliver";
import { claimTexts, type Failure, markFailed, markSent, markTextAttempt } from "./delivery-rows";

// The outbox, delivery of texts (kind SMS, issue 12 item 5). Like mail (deliver.ts): rows are claimed exclusively
// (FOR UPDATE SKIP LOCKED + a 60 s lease), sent, and recorded SENT (the sealed body scrubbed, S41), retried with
// backoff, or DEAD (a permanent refusal, or the MAX_ATTEMPTS-th failure). A configuration problem (wrong account,
// sender) never makes a text DEAD.
//
// Never twice, without an idempotency key (Twilio's Messages API has none): before the call the row is marked
// "attempted at T" (batchKey). An answer saying nothing was created (4xx, 429) clears the mark; an answer that may hide
// a created message (5xx, timeout, dropped connection) keeps it, and the next run first asks the provider for a message
// created for this text since T (`findSent`: the body carries the code, unique per text). Found: SENT with its SID.
// Not found: sent again. The provider cannot tell: wait and ask again. The remaining window: Twilio creating the
// message after our lookup (seconds after a lost answer): the first retry waits the backoff (30 s or more) first.

const CLAIM_LEASE_MS = 60_000;
const MAX_CLAIM = 50;
/** Texts are sent this many at a time (each call is bounded by the SDK's 10 s timeout, well within the lease). */
const PARALLEL = 5;
const MARK = /^sms-attempt:[^@]*@(.+)$/;

type Result = { id: string; outcome: TextOutcome; sentBefore?: boolean };

async function deliverOne(
  sender: SmsSender,
  text: OutgoingText,
  batchKey: string | null,
  leaseUntil: string,
  now: Date,
): Promise<TextOutcome> {
  const marked = batchKey ? MARK.exec(batchKey) : null;
  if (marked?.[1]) {
    let found: string | null;
    try {
      found = await sender.findSent(text, new Date(marked[1]));
    } catch (e) {
      const error = safeErrorText(
        `could not check whether an earlier attempt was delivered: ${e instanceof Error ? e.message : String(e)}`,
      );
      return { ok: false, kind: "unknown", error };
    }
    if (found) return { ok: true, providerId: found };
  }
  if (!(await markTextAttempt(text.outboxId, leaseUntil, now))) {
    return { ok: false, kind: "unknown", error: "lease lost before sending" };
  }
  try {
    return await sender.send(text);
  } catch (e) {
    return {
      ok: false,
      kind: "unknown",
      error: safeErrorText(`${sender.name} sender error: ${e instanceof Error ? e.message : String(e)}`),
    };
  }
}

/** Claims due texts (at most `limit`), sends them, and records the outcome of each. Safe to run concurrently. */
export async function deliverDueTexts(
  options: { now?: Date; limit?: number; sender?: SmsSender } = {},
): Promise<DeliveryReport> {
  const now = options.now ?? new Date();
  const limit = Math.max(1, Math.min(options.limit ?? MAX_CLAIM, MAX_CLAIM));
  const sender = options.sender ?? smsSender();
  const leaseUntil = new Date(now.getTime() + CLAIM_LEASE_MS).toISOString();
  const report: DeliveryReport = { claimed: 0, sent: 0, failed: 0, dead: 0, providerCalls: 0 };
  const claimed = await claimTexts(now, leaseUntil, limit);
  report.claimed = claimed.length;
  if (claimed.length === 0) return report;

  const results: Result[] = [];
  const queue = [...claimed];
  const work = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      let text: OutgoingText;
      try {
        text = { outboxId: row.id, to: row.to, body: openText(row, row.payload) };
      } catch (e) {
        // Not sent: the row keeps its mark, if any, so a later run still looks the earlier attempt up.
        const error = safeErrorText(`could not open the text: ${e instanceof Error ? e.message : String(e)}`);
        results.push({ id: row.id, outcome: { ok: false, kind: "unknown", error } });
        continue;
      }
      report.providerCalls++;
      results.push({ id: row.id, outcome: await deliverOne(sender, text, row.batchKey, leaseUntil, now) });
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, claimed.length) }, work));

  const attemptsById = new Map(claimed.map((m) => [m.id, m.attempts]));
  const sent: { outboxId: string; providerId: string | null }[] = [];
  const failures: Failure[] = [];
  for (const { id, outcome } of results) {
    if (outcome.ok) {
      sent.push({ outboxId: id, providerId: outcome.providerId });
      continue;
    }
    const attempts = (attemptsById.get(id) ?? 0) + 1;
    const dead = outcome.kind === "rejected" || (outcome.kind !== "configuration" && attempts >= MAX_ATTEMPTS);
    if (outcome.kind === "configuration") report.configurationProblem = outcome.error;
    const delay = Math.max(backoffMs(attempts), outcome.retryAfterMs ?? 0);
    failures.push({
      id,
      attempts,
      dead,
      // Only "unknown" keeps the attempt mark: the others are answers saying that nothing was created.
      releaseGroup: outcome.kind !== "unknown",
      nextAttemptAt: new Date(now.getTime() + delay).toISOString(),
      error: outcome.error,
    });
  }
  await markSent(sent, now);
  await markFailed(failures, leaseUntil);
  report.sent = sent.length;
  report.dead = failures.filter((f) => f.dead).length;
  report.failed = failures.length - report.dead;
  return report;
}
