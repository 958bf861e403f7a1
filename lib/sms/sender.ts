import twilio from "twilio";
import type RequestClient from "twilio/lib/base/RequestClient";
import { db, type Tx } from "../db";
import { env } from "../env";
import { safeErrorText } from "../mail/transport";

// How texts leave the building (issue 12 item 5). Two senders with one contract, `send(text)` (one provider call, one
// text; never throws for a provider error) and `findSent(text, since)`:
//  - twilio: Twilio's official Node SDK (`twilio`), POST /2010-04-01/Accounts/{Sid}/Messages.json. TWILIO_BASE_URL
//    points the SDK elsewhere (tests: test/twilio-standin.ts) through its documented `httpClient` option: a
//    RequestClient that rewrites each request's URI onto that base.
//  - local: writes MailboxMessage rows of kind SMS (the development mailbox). `outboxId` is unique there, so a retried
//    or concurrent delivery of one text cannot make a second copy.
//
// Twilio's Messages API has no idempotency key. What the outbox does about lost answers (deliver-sms.ts): an answer
// that says nothing was created (4xx, including 429) is retried or dead-lettered as it is; an answer that does not
// say (5xx, timeout, connection lost) is "unknown", and before sending again the outbox asks Twilio whether the text
// was created after all (`findSent`: the recent messages to that number, matched by their body, which carries the
// code and is unique per text).

export interface OutgoingText {
  outboxId: string;
  /** E.164 */
  to: string;
  body: string;
}

/**
 * Why a send failed, which decides what the outbox does next:
 *  - rejected: Twilio refused this text for good (400: invalid or non-mobile number, region not enabled, opted out)
 *    → DEAD at once.
 *  - configuration: our account or sender is wrong (401, 403, 404, invalid From) → nothing the text can change:
 *    retried and reported, never DEAD for it.
 *  - retry: nothing was created and a later try may work (429 Too Many Requests, 409, other 4xx) → retried.
 *  - unknown: the answer was lost or was a server error (5xx, timeout, network) → Twilio may have created the message:
 *    retried only after `findSent` says it was not.
 */
export type TextFailureKind = "rejected" | "configuration" | "retry" | "unknown";

export type TextOutcome =
  | { ok: true; providerId: string }
  | { ok: false; kind: TextFailureKind; error: string; retryAfterMs?: number };

export interface SmsSender {
  readonly name: "twilio" | "local";
  send(text: OutgoingText): Promise<TextOutcome>;
  /** The provider's id of a message already created for `text` since `since`, or null (throws when it cannot tell). */
  findSent(text: OutgoingText, since: Date): Promise<string | null>;
}

const REQUEST_TIMEOUT_MS = 10_000;
/** Twilio error codes (400) about the sender, i.e. our configuration, not the recipient. */
const SENDER_ERRORS = new Set([21212, 21606, 21659, 21660, 21661, 21703, 21704, 21705]);

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  from?: string;
  messagingServiceSid?: string;
  /** e.g. http://127.0.0.1:4010 (the stand-in); unset: Twilio's own hosts */
  baseUrl?: string;
}

/** A RequestClient (the SDK's own HTTP client) that sends every request to `baseUrl` instead of *.twilio.com. */
class BaseUrlRequestClient extends twilio.RequestClient {
  readonly #base: URL;
  constructor(baseUrl: string, options: ConstructorParameters<typeof twilio.RequestClient>[0]) {
    super(options);
    this.#base = new URL(baseUrl);
  }
  override request<T>(opts: RequestClient.RequestOptions<T>) {
    const uri = new URL(opts.uri);
    const target = new URL(this.#base);
    target.pathname = `${this.#base.pathname.replace(/\/+$/, "")}${uri.pathname}`;
    target.search = uri.search;
    return super.request<T>({ ...opts, uri: target.toString() });
  }
}

function errorParts(e: unknown): { status?: number; code?: number; message: string } {
  if (e instanceof twilio.RestException)
    return { status: e.status, ...(e.code !== undefined ? { code: e.code } : {}), message: e.message };
  return { message: e instanceof Error ? e.message : String(e) };
}

/** What the outbox does with a failed call (see TextFailureKind). */
export function classifyTwilioError(e: unknown): Extract<TextOutcome, { ok: false }> {
  const { status, code, message } = errorParts(e);
  const error = safeErrorText(
    `twilio: ${status ? `HTTP ${status}` : "no answer"}${code ? ` error ${code}` : ""}: ${message}`,
  );
  if (status === undefined || status >= 500) return { ok: false, kind: "unknown", error };
  if (status === 401 || status === 403 || status === 404) return { ok: false, kind: "configuration", error };
  if (status === 400 && code !== undefined && SENDER_ERRORS.has(code))
    return { ok: false, kind: "configuration", error };
  if (status === 400) return { ok: false, kind: "rejected", error };
  return { ok: false, kind: "retry", error };
}

export function createTwilioSmsSender(settings: TwilioSettings): SmsSender {
  const options = { timeout: REQUEST_TIMEOUT_MS, autoRetry: false };
  const client = twilio(settings.accountSid, settings.authToken, {
    accountSid: settings.accountSid,
    ...(settings.baseUrl ? { httpClient: new BaseUrlRequestClient(settings.baseUrl, options) } : {}),
    ...options,
  });
  const sender = settings.messagingServiceSid
    ? { messagingServiceSid: settings.messagingServiceSid }
    : { from: settings.from as string };
  return {
    name: "twilio",
    async send(text) {
      try {
        const message = await client.messages.create({ to: text.to, body: text.body, ...sender });
        return { ok: true, providerId: message.sid };
      } catch (e) {
        return classifyTwilioError(e);
      }
    },
    async findSent(text, since) {
      const recent = await client.messages.list({ to: text.to, limit: 50 });
      const after = since.getTime() - 60_000; // clocks differ a little
      const match = recent.find(
        (m) =>
          m.direction === "outbound-api" &&
          typeof m.body === "string" &&
          m.body.includes(text.body) &&
          (!m.dateCreated || m.dateCreated.getTime() >= after),
      );
      return match?.sid ?? null;
    },
  };
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

export function createLocalSmsSender(client: Tx = db): SmsSender {
  const find = async (outboxId: string) =>
    (await client.mailboxMessage.findUnique({ where: { outboxId }, select: { id: true } }))?.id ?? null;
  return {
    name: "local",
    async send(text) {
      await client.mailboxMessage.createMany({
        data: [
          {
            kind: "SMS",
            outboxId: text.outboxId,
            to: text.to,
            subject: `Text message to ${text.to}`,
            html: `<p>${escapeHtml(text.body).replace(/\n/g, "<br>")}</p>`,
            text: text.body,
          },
        ],
        skipDuplicates: true,
      });
      const id = await find(text.outboxId);
      return id
        ? { ok: true, providerId: `local:${id}` }
        : { ok: false, kind: "unknown", error: "mailbox row missing after insert" };
    },
    async findSent(text) {
      const id = await find(text.outboxId);
      return id ? `local:${id}` : null;
    },
  };
}

let configured: SmsSender | undefined;

/** The sender the configuration selects: Twilio when SMS_TRANSPORT is twilio (the default when TWILIO_ACCOUNT_SID is
 *  set), else the local mailbox. */
export function smsSender(): SmsSender {
  if (!configured) {
    configured =
      env.smsTransport === "twilio" && env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN
        ? createTwilioSmsSender({
            accountSid: env.TWILIO_ACCOUNT_SID,
            authToken: env.TWILIO_AUTH_TOKEN,
            ...(env.TWILIO_FROM ? { from: env.TWILIO_FROM } : {}),
            ...(env.TWILIO_MESSAGING_SERVICE_SID ? { messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID } : {}),
            ...(env.TWILIO_BASE_URL ? { baseUrl: env.TWILIO_BASE_URL } : {}),
          })
        : createLocalSmsSender();
  }
  return configured;
}
