import { db, type Tx } from "../../db";
import { env } from "../../env";

// The development mailbox (what the local mail transport "delivered"), for app/dev/mail. Empty unless
// env.devMailbox is on: the pages check it too, this is the second lock on the door.

export interface MailboxListItem {
  id: string;
  to: string;
  subject: string;
  createdAt: Date;
}

export interface MailboxMessageView extends MailboxListItem {
  html: string;
  text: string;
}

export async function listMailboxMessages(
  { input = {} }: { input?: { limit?: number; to?: string } } = {},
  { tx = db }: { tx?: Tx } = {},
): Promise<MailboxListItem[]> {
  if (!env.devMailbox) return [];
  return tx.mailboxMessage.findMany({
    where: input.to ? { to: input.to } : {},
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(input.limit ?? 100, 500),
    select: { id: true, to: true, subject: true, createdAt: true },
  });
}

export async function getMailboxMessage(
  { input }: { input: { id: string } },
  { tx = db }: { tx?: Tx } = {},
): Promise<MailboxMessageView | null> {
  if (!env.devMailbox) return null;
  return tx.mailboxMessage.findUnique({
    where: { id: input.id },
    select: { id: true, to: true, subject: true, createdAt: true, html: true, text: true },
  });
}
