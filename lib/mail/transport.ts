import { createHash } from "node:crypto";
import { Resend } from "resend";
import { db, type Tx } from "../db";
import { env } from "../env";

// How rendered mail leaves the building. Two transports with one contract: `send(mails, { idempotencyKey })` is ONE
// provider call for up to `maxBatchSize` mails and returns one outcome per mail (never throws for a provider error).
//  - resend: the official SDK; 1 mail → POST /emails, 2..100 → POST /emails/batch (permissive validation, so one bad
//    address does not sink the other 99). The Idempotency-Key is chosen by the outbox when a group of mails is first
//    sent and stored on its rows, so a retry is the same call under the same key (Resend keys a whole request, not
//    each email in it). Without one, `groupKey` derives it from the ids.
//  - local: writes MailboxMessage rows (the development/test mailbox). `outboxId` is unique, so a retried or
//    concurrent delivery of the same outbox row cannot create a second copy.

export interface OutgoingMail {
  outboxId: string;
  to: string;
  subject: string;
  html: string;
  text: string;
}

/**
 * Why a send failed, which decides what the outbox does next (Resend's documented errors, by status and name):
 *  - transient: 5xx, network error or lost answer, 429, 409 concurrent_idempotent_requests → retry the SAME call
 *    (same mails, same key) after a backoff; DEAD after MAX_ATTEMPTS.
 *  - configuration: 401/403 (missing or invalid key, domain not verified, testing-only sender), 404/405, 400
 *    invalid_idempotency_key → nothing the mail can change: retry the same call and report it, never DEAD for it.
 *  - rejected: 400/422 about this mail (invalid address, missing field) → DEAD at once.
 *  - refused: 400/422 for a whole batch request → nothing was accepted: retry these mails in a new group.
 */
export type FailureKind = "transient" | "configuration" | "rejected" | "refused";

export type SendOutcome =
  /** providerId null: Resend answered 409 invalid_idempotent_request, i.e. an earlier call under this key was
   *  accepted (its answer was lost): the mail is sent, its provider id unknown. */
  | { outboxId: string; ok: true; providerId: string | null }
  /** permanent: retrying cannot help (kind "rejected"): the outbox marks the row DEAD at once. */
  | { outboxId: string; ok: false; error: string; kind: FailureKind; permanent: boolean; retryAfterMs?: number };

export interface SendOptions {
  /** The key stored on the rows when this group was first sent; retries must pass the same one. */
  idempotencyKey?: string;
}

export interface MailTransport {
  readonly name: "resend" | "local";
  readonly maxBatchSize: number;
  send(mails: OutgoingMail[], options?: SendOptions): Promise<SendOutcome[]>;
}

export const RESEND_BATCH_LIMIT = 100;
const REQUEST_TIMEOUT_MS = 30_000;
const MAX_ERROR_LENGTH = 300;

/** An error text safe to store: one line, bounded, with anything key- or token-shaped removed. */
export function safeErrorText(text: string): string {
  const cleaned = text
    .replace(/\bre_[A-Za-z0-9_]{6,}/g, "re_[redacted]")
    .replace(/\b(Bearer)\s+\S+/gi, "$1 [redacted]")
    .replace(/\s+/g, " ")
    .trim();
  return cleaned.length > MAX_ERROR_LENGTH ? `${cleaned.slice(0, MAX_ERROR_LENGTH - 1)}…` : cleaned;
}

/** Same ids → same key, whatever order the claim returned them in. */
export function batchIdempotencyKey(outboxIds: string[]): string {
  return `batch-${createHash("sha256")
    .update([...outboxIds].sort().join(","))
    .digest("hex")}`;
}

/** The Idempotency-Key of a group of mails: the row id for one mail, a hash of the sorted ids for several. */
export function groupKey(outboxIds: string[]): string {
  const [only] = outboxIds;
  return outboxIds.length === 1 && only ? only : batchIdempotencyKey(outboxIds);
}

export interface ResendError {
  statusCode: number | null;
  name: string;
  message: string;
}

export type ResendErrorClass = FailureKind | "accepted";

/** Resend's error → what to do (https://resend.com/docs/api-reference/errors and …/idempotency-keys). */
export function classifyResendError(error: ResendError, batch: boolean): ResendErrorClass {
  const status = error.statusCode;
  if (status === 409) {
    // Same key, another payload: the key was used by an earlier call that Resend processed, so these mails went out
    // then (a retry renders the same mails; a differing payload means the templates changed in between). Sending
    // again under a new key would deliver them twice. concurrent_idempotent_requests: still in progress → retry.
    return error.name === "invalid_idempotent_request" ? "accepted" : "transient";
  }
  if (status === 401 || status === 403 || status === 404 || status === 405) return "configuration";
  if (status === 400 && error.name === "invalid_idempotency_key") return "configuration";
  if (status === 400 || status === 422) return batch ? "refused" : "rejected";
  return "transient"; // 429, 5xx, no answer (statusCode null), anything undocumented
}

function retryAfterMs(headers: Record<string, string> | null): number | undefined {
  const value = headers?.["retry-after"] ?? headers?.["ratelimit-reset"];
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function outcomeForAll(
  mails: OutgoingMail[],
  error: ResendError,
  headers: Record<string, string> | null,
  batch: boolean,
): SendOutcome[] {
  const kind = classifyResendError(error, batch);
  if (kind === "accepted") return mails.map((m) => ({ outboxId: m.outboxId, ok: true, providerId: null }));
  const text = safeErrorText(`resend ${error.statusCode ?? "network"} ${error.name}: ${error.message}`);
  const after = error.statusCode === 429 ? retryAfterMs(headers) : undefined;
  return mails.map((m) => ({
    outboxId: m.outboxId,
    ok: false,
    error: text,
    kind,
    permanent: kind === "rejected",
    ...(after === undefined ? {} : { retryAfterMs: after }),
  }));
}

export function createResendTransport(options: { apiKey: string; baseUrl?: string; from: string }): MailTransport {
  const resend = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl.replace(/\/+$/, "") } : {});
  const email = (m: OutgoingMail) => ({
    from: options.from,
    to: m.to,
    subject: m.subject,
    html: m.html,
    text: m.text,
    headers: { "X-Twofold-Outbox-Id": m.outboxId },
  });
  return {
    name: "resend",
    maxBatchSize: RESEND_BATCH_LIMIT,
    async send(mails, sendOptions = {}) {
      if (mails.length === 0) return [];
      if (mails.length > RESEND_BATCH_LIMIT) throw new Error(`at most ${RESEND_BATCH_LIMIT} mails per call`);
      const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
      // Sorted by id: the same group is always the same request body.
      const sorted = [...mails].sort((a, b) => (a.outboxId < b.outboxId ? -1 : 1));
      const idempotencyKey = sendOptions.idempotencyKey ?? groupKey(sorted.map((m) => m.outboxId));
      const [first] = sorted;
      if (sorted.length === 1 && first) {
        const r = await resend.emails.send(email(first), { idempotencyKey, signal });
        if (r.error) return outcomeForAll(sorted, r.error, r.headers, false);
        return [{ outboxId: first.outboxId, ok: true, providerId: r.data.id }];
      }
      const r = await resend.batch.send(sorted.map(email), { idempotencyKey, batchValidation: "permissive", signal });
      if (r.error) return outcomeForAll(sorted, r.error, r.headers, true);
      // Permissive mode: `data` holds the accepted mails in request order, `errors` the rejected ones by index.
      const rejected = new Map((r.data.errors ?? []).map((e) => [e.index, e.message]));
      const accepted = r.data.data ?? [];
      if (accepted.length + rejected.size !== sorted.length) {
        // Cannot tell which mail got which id: retry the lot under the same idempotency key.
        const error = { statusCode: null, name: "unexpected_response", message: "batch response does not match" };
        return outcomeForAll(sorted, error, null, true);
      }
      let next = 0;
      return sorted.map((m, index): SendOutcome => {
        const reason = rejected.get(index);
        if (reason !== undefined) {
          return {
            outboxId: m.outboxId,
            ok: false,
            error: safeErrorText(`resend rejected: ${reason}`),
            kind: "rejected",
            permanent: true,
          };
        }
        const id = accepted[next++]?.id ?? "";
        return { outboxId: m.outboxId, ok: true, providerId: id };
      });
    },
  };
}

export function createLocalTransport(client: Tx = db): MailTransport {
  return {
    name: "local",
    maxBatchSize: RESEND_BATCH_LIMIT,
    async send(mails) {
      if (mails.length === 0) return [];
      await client.mailboxMessage.createMany({
        data: mails.map((m) => ({ outboxId: m.outboxId, to: m.to, subject: m.subject, html: m.html, text: m.text })),
        skipDuplicates: true,
      });
      const rows = await client.mailboxMessage.findMany({
        where: { outboxId: { in: mails.map((m) => m.outboxId) } },
        select: { id: true, outboxId: true },
      });
      const byOutbox = new Map(rows.map((r) => [r.outboxId, r.id]));
      return mails.map((m): SendOutcome => {
        const id = byOutbox.get(m.outboxId);
        return id
          ? { outboxId: m.outboxId, ok: true, providerId: `local:${id}` }
          : {
              outboxId: m.outboxId,
              ok: false,
              error: "mailbox row missing after insert",
              kind: "transient",
              permanent: false,
            };
      });
    },
  };
}

let configured: MailTransport | undefined;

/** The transport the configuration selects: Resend when RESEND_API_KEY is set, else the local mailbox. */
export function mailTransport(): MailTransport {
  if (!configured) {
    configured =
      env.mailTransport === "resend" && env.RESEND_API_KEY
        ? createResendTransport({ apiKey: env.RESEND_API_KEY, baseUrl: env.RESEND_BASE_URL, from: env.MAIL_FROM })
        : createLocalTransport();
  }
  return configured;
}
