import { createHash } from "node:crypto";
import { Resend } from "resend";
import { db, type Tx } from "../db";
import { env } from "../env";

// How rendered mail leaves the building. Two transports with one contract: `send(mails)` is ONE provider call for
// up to `maxBatchSize` mails and returns one outcome per mail (never throws for a provider error).
//  - resend: the official SDK; 1 mail → POST /emails, 2..100 → POST /emails/batch (permissive validation, so one bad
//    address does not sink the other 99). Idempotency-Key: the outbox row id for a single mail; for a batch a hash of
//    the sorted row ids (Resend keys a whole request, not each email in it).
//  - local: writes MailboxMessage rows (the development/test mailbox). `outboxId` is unique, so a retried or
//    concurrent delivery of the same outbox row cannot create a second copy.

export interface OutgoingMail {
  outboxId: string;
  to: string;
  subject: string;
  html: string;
  text: string;
}

export type SendOutcome =
  | { outboxId: string; ok: true; providerId: string }
  /** permanent: retrying cannot help (e.g. an invalid address): the outbox marks the row DEAD at once. */
  | { outboxId: string; ok: false; error: string; permanent: boolean; retryAfterMs?: number };

export interface MailTransport {
  readonly name: "resend" | "local";
  readonly maxBatchSize: number;
  send(mails: OutgoingMail[]): Promise<SendOutcome[]>;
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

interface ResendError {
  statusCode: number | null;
  name: string;
  message: string;
}

// 422 validation problems with the mail itself will fail the same way next time. invalid_idempotent_request (409):
// this key was already used with another payload, i.e. an earlier attempt was accepted: never send again.
const PERMANENT = new Set([
  "validation_error",
  "missing_required_field",
  "invalid_parameter",
  "invalid_idempotent_request",
]);

function retryAfterMs(headers: Record<string, string> | null): number | undefined {
  const value = headers?.["retry-after"] ?? headers?.["ratelimit-reset"];
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function failAll(mails: OutgoingMail[], error: ResendError, headers: Record<string, string> | null): SendOutcome[] {
  const permanent = PERMANENT.has(error.name);
  const text = safeErrorText(`resend ${error.statusCode ?? "network"} ${error.name}: ${error.message}`);
  const after = error.statusCode === 429 ? retryAfterMs(headers) : undefined;
  return mails.map((m) => ({
    outboxId: m.outboxId,
    ok: false,
    error: text,
    permanent,
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
    async send(mails) {
      if (mails.length === 0) return [];
      if (mails.length > RESEND_BATCH_LIMIT) throw new Error(`at most ${RESEND_BATCH_LIMIT} mails per call`);
      const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
      const [first] = mails;
      if (mails.length === 1 && first) {
        const r = await resend.emails.send(email(first), { idempotencyKey: first.outboxId, signal });
        if (r.error) return failAll(mails, r.error, r.headers);
        return [{ outboxId: first.outboxId, ok: true, providerId: r.data.id }];
      }
      const sorted = [...mails].sort((a, b) => (a.outboxId < b.outboxId ? -1 : 1));
      const r = await resend.batch.send(sorted.map(email), {
        idempotencyKey: batchIdempotencyKey(sorted.map((m) => m.outboxId)),
        batchValidation: "permissive",
        signal,
      });
      if (r.error) return failAll(sorted, r.error, r.headers);
      // Permissive mode: `data` holds the accepted mails in request order, `errors` the rejected ones by index.
      const rejected = new Map((r.data.errors ?? []).map((e) => [e.index, e.message]));
      const accepted = r.data.data ?? [];
      if (accepted.length + rejected.size !== sorted.length) {
        // Cannot tell which mail got which id: retry the lot under the same idempotency key.
        const error = { statusCode: null, name: "unexpected_response", message: "batch response does not match" };
        return failAll(sorted, error, null);
      }
      let next = 0;
      return sorted.map((m, index): SendOutcome => {
        const reason = rejected.get(index);
        if (reason !== undefined) {
          return {
            outboxId: m.outboxId,
            ok: false,
            error: safeErrorText(`resend rejected: ${reason}`),
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
          : { outboxId: m.outboxId, ok: false, error: "mailbox row missing after insert", permanent: false };
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
