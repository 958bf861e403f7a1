import { db, type Tx } from "../../db";
import { env } from "../../env";

// The development mailbox (what the local mail transport "delivered"), for app/dev/mail. Empty unless
// env.devMailbox is on: the pages check it too, this is the second lock on the door.

export interface MailboxListItem {
  id: string;
  /** EMAIL or SMS (texts, issue 12: shown beside mails) */
  kind: "EMAIL" | "SMS";
  to: string;
  subject: string;
  createdAt: Date;
  /** the whole text of a text message (short); null for mail */
  body: string | null;
}

export interface MailboxMessageView extends Omit<MailboxListItem, "body"> {
  html: string;
  text: string;
}

export async function listMailboxMessages(
  { input = {} }: { input?: { limit?: number; to?: string; kind?: "EMAIL" | "SMS" } } = {},
  { tx = db }: { tx?: Tx } = {},
): Promise<MailboxListItem[]> {
  if (!env.devMailbox) return [];
  const rows = await tx.mailboxMessage.findMany({
    where: { ...(input.to ? { to: input.to } : {}), ...(input.kind ? { kind: input.kind } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(input.limit ?? 100, 500),
    select: { id: true, kind: true, to: true, subject: true, createdAt: true, text: true },
  });
  return rows.map(({ text, ...r }) => ({ ...r, body: r.kind === "SMS" ? text : null }));
}

export async function getMailboxMessage(
  { input }: { input: { id: string } },
  { tx = db }: { tx?: Tx } = {},
): Promise<MailboxMessageView | null> {
  if (!env.devMailbox) return null;
  return tx.mailboxMessage.findUnique({
    where: { id: input.id },
    select: { id: true, kind: true, to: true, subject: true, createdAt: true, html: true, text: true },
  });
}
