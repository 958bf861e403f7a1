import { createHash, timingSafeEqual } from "node:crypto";
import { db, inTransaction, type Tx } from "../../db";
import { env } from "../../env";
import { SCRUBBED_KEY, SEALED_KEY } from "../../mail/sealed-payload";
import { type RequestContext, recordAuditEvent } from "../audit/audit-log";

// The test mailbox: the newest DELIVERED mail of one kind to one address, for QA's Playwright flows against a running
// deployment (`--project=deployed`), which have no database access. It exists only where TEST_MAILBOX_TOKEN is set
// (a production start refuses the token unless TEST_MAILBOX_ALLOW_PRODUCTION=1, lib/env.ts), answers only that
// bearer token, and writes an audit row for every read. It reads what the local mail transport delivered (the
// mailbox a person would read: MAIL_TRANSPORT=local) — codes and links exactly as in the mail, never a stored secret:
// a 2FA secret never passes through here, so a flow still needs the authenticator's code.

export interface TestMail {
  to: string;
  kind: string;
  subject: string;
  text: string;
  html: string;
  /** The template data that is not secret (codes, tokens and links are only in the text, as delivered). */
  data: Record<string, unknown>;
  queuedAt: Date;
  deliveredAt: Date;
}

export type TestMailboxRead =
  | { status: "disabled" }
  | { status: "refused" }
  | { status: "ok"; mail: TestMail | null; pending: boolean };

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Whether `presented` is the configured token (constant time). False when the test mailbox is not enabled. */
export function testMailboxTokenMatches(presented: string | null | undefined): boolean {
  const token = env.TEST_MAILBOX_TOKEN;
  if (!token || !presented) return false;
  return timingSafeEqual(digest(presented), digest(token));
}

/**
 * The newest mail of template `kind` to `to`, once delivered to the mailbox (`pending` while it is still queued).
 * Every accepted read is audited (who asked from where, for which address and kind, whether a mail was found).
 */
export async function readLatestTestMail(
  { token, input, context }: { token: string | null; input: { to: string; kind: string }; context: RequestContext },
  { tx = db }: { tx?: Tx } = {},
): Promise<TestMailboxRead> {
  if (!env.TEST_MAILBOX_TOKEN) return { status: "disabled" };
  if (!testMailboxTokenMatches(token)) return { status: "refused" };
  const to = input.to.trim().toLowerCase();
  const kind = input.kind.trim();
  return inTransaction(tx, async (t) => {
    const queued = await t.outboxMessage.findFirst({
      // kind "sms": the newest text message to that number (issue 12), whatever its template.
      where: kind === "sms" ? { to, kind: "SMS" } : { to, template: kind },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { id: true, payload: true, createdAt: true },
    });
    const delivered = queued
      ? await t.mailboxMessage.findUnique({
          where: { outboxId: queued.id },
          select: { subject: true, text: true, html: true, createdAt: true },
        })
      : null;
    await recordAuditEvent(t, {
      type: "test_mailbox.read",
      metadata: { to, kind, found: Boolean(delivered), pending: Boolean(queued && !delivered) },
      context,
    });
    if (!queued || !delivered) return { status: "ok", mail: null, pending: Boolean(queued) };
    const data = { ...(queued.payload as Record<string, unknown>) };
    delete data[SEALED_KEY];
    delete data[SCRUBBED_KEY];
    return {
      status: "ok",
      pending: false,
      mail: { to, kind, ...delivered, data, queuedAt: queued.createdAt, deliveredAt: delivered.createdAt },
    };
  });
}
