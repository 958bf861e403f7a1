// Reading queued texts in tests: the body of an SMS outbox row, opened the way the worker opens it at send time (S41),
// and the code in it. Read a text before delivering it: the body is scrubbed once the row is SENT.
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { openText } from "@/lib/sms/sealed-text";

export async function latestText(to: string): Promise<{ id: string; body: string; code: string }> {
  const row = await db.outboxMessage.findFirst({ where: { kind: "SMS", to }, orderBy: { createdAt: "desc" } });
  if (!row) throw new Error(`no text to ${to}`);
  const body = openText(row, row.payload);
  const code = /\b(\d{6})\b/.exec(body)?.[1];
  if (!code) throw new Error("no code in the text");
  return { id: row.id, body, code };
}

let next = 0;
/** A fresh, valid-looking UK mobile number in E.164 (+447700 900xxx is Ofcom's drama range). */
export function uniqueMobile(): string {
  next = (next + 1) % 1000;
  const tail = `${Number.parseInt(randomUUID().slice(0, 6), 16) % 1000}`.padStart(3, "0");
  return `+4477009${String(next).padStart(3, "0")}${tail}`.slice(0, 13);
}

/** A user row for tests of the SMS code service (no password: nothing here signs in). */
export async function bareUser(tag = "sms"): Promise<string> {
  const u = await db.user.create({ data: { email: `${tag}-${randomUUID()}@example.test`, name: "Phone Person" } });
  return u.id;
}
