import { db } from "../../db";
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

export async function listMailboxMessages(options: { limit?: number; to?: string } = {}): Promise<MailboxListItem[]> {
  if (!env.devMailbox) return [];
  return db.mailboxMessage.findMany({
    where: options.to ? { to: options.to } : {},
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(options.limit ?? 100, 500),
    select: { id: true, to: true, subject: true, createdAt: true },
  });
}

export async function getMailboxMessage(id: string): Promise<MailboxMessageView | null> {
  if (!env.devMailbox) return null;
  return db.mailboxMessage.findUnique({
    where: { id },
    select: { id: true, to: true, subject: true, createdAt: true, html: true, text: true },
  });
}
