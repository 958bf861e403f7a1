import { randomUUID } from "node:crypto";
import type { Prisma, Tx } from "../../db";
import type { MailTemplates, TemplateName } from "../../mail/render";
import { SECRET_FIELDS, sealPayload } from "../../mail/sealed-payload";
import { sealText } from "../../sms/sealed-text";
import type { RequestContext } from "../audit/audit-log";

// The transactional outbox, enqueue side. Services call `enqueueMail(tx, …)` inside the transaction that makes the
// change, so the mail exists exactly when the change does; nothing is sent there. Codes, tokens and links in the mail
// are sealed (S41: secrets in mail are sealed at rest and scrubbed once sent; lib/mail/sealed-payload.ts). Delivery is
// deliver.ts.

/** One mail to enqueue: the template name decides the shape of `data`. */
export type MailMessage = { [K in TemplateName]: { to: string; template: K; data: MailTemplates[K] } }[TemplateName];

function row(message: MailMessage) {
  const to = message.to.trim();
  if (!to.includes("@")) throw new Error("enqueueMail: `to` must be an email address");
  const id = `ob${randomUUID().replaceAll("-", "")}`;
  // A JSON round trip stores exactly what the template will get back (no undefined, no Date objects).
  const data = JSON.parse(JSON.stringify(message.data)) as Record<string, unknown>;
  const payload = sealPayload({ id, template: message.template, to }, data);
  return { id, kind: "EMAIL" as const, to, template: message.template, payload: payload as object };
}

/** What every security notice says about the change: to whom, when and from where (S33: every security change mails the account a notice). */
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

/** Whether a template's mails carry a secret that must be sealed per row in the process (S41). */
export function templateCarriesSecrets(template: TemplateName): boolean {
  return ((SECRET_FIELDS as Record<string, readonly string[] | undefined>)[template]?.length ?? 0) > 0;
}

/**
 * Adds one mail per row of `source` in ONE statement that the database builds (INSERT … SELECT), in the caller's
 * transaction: for an announcement to a whole organization, where building, serialising and sending 100,000 messages
 * from the process cost seconds (issue 13, target 6). `source` is a SELECT of `"to"` (text) and `"data"` (jsonb: the
 * template's data, exactly what the template receives). Only for templates whose mails carry no secret: a code, token
 * or link to act on is sealed per row with the row's identity as associated data (S41), which only the process can
 * do; such templates are refused here (use enqueueMail or enqueueMailBatch).
 */
export async function enqueueMailsFromQuery(
  tx: Tx,
  template: TemplateName,
  source: Prisma.Sql,
): Promise<{ count: number }> {
  if (templateCarriesSecrets(template))
    throw new Error(`enqueueMailsFromQuery: "${template}" carries secrets that are sealed per mail (S41)`);
  const now = new Date();
  const at = now.toISOString();
  // Ids like enqueueMail's ("ob" + 32 hex digits), but in insertion order: the statement's time in ms, the row's
  // number, then random digits. 100,000 keys appended at the right edge of the primary key instead of scattered.
  const prefix = `ob${now.getTime().toString(16).padStart(12, "0")}`;
  const count = await tx.$executeRaw`
    INSERT INTO "OutboxMessage" ("id", "kind", "to", "template", "payload", "nextAttemptAt", "createdAt")
    SELECT ${prefix} || lpad(to_hex(s."n"), 8, '0') || substr(replace(gen_random_uuid()::text, '-', ''), 1, 12),
           'EMAIL', btrim(s."to"), ${template}, s."data",
           (${at}::timestamptz AT TIME ZONE 'UTC'), (${at}::timestamptz AT TIME ZONE 'UTC')
    FROM (SELECT q."to", q."data", row_number() OVER () AS "n" FROM (${source}) AS q) AS s`;
  return { count };
}

/** One text to enqueue (issue 12): `body` is sealed at rest (S41); `template` names its kind (e.g. "sms-code"). */
export interface TextMessage {
  /** E.164 */
  to: string;
  template: string;
  body: string;
}

/** Adds one text (kind SMS) to the outbox in the caller's transaction. Never sends. */
export async function enqueueSms(tx: Tx, message: TextMessage): Promise<{ id: string }> {
  if (!/^\+[1-9]\d{6,14}$/.test(message.to)) throw new Error("enqueueSms: `to` must be an E.164 number");
  const id = `ob${randomUUID().replaceAll("-", "")}`;
  const payload = sealText({ id, template: message.template, to: message.to }, message.body);
  return tx.outboxMessage.create({
    data: {
      id,
      kind: "SMS",
      to: message.to,
      template: message.template,
      payload: payload as object,
      nextAttemptAt: new Date(),
    },
    select: { id: true },
  });
}
