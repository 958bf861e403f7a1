import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createLocalSmsSender, createTwilioSmsSender, type SmsSender } from "@/lib/sms/sender";
import { latestText, uniqueMobile } from "@/test/sms";
import { startTwilioStandin, type TwilioStandin } from "@/test/twilio-standin";
import { deliverDueTexts } from "./deliver-sms";
import { listMailboxMessages } from "./dev-mailbox";
import { enqueueSms } from "./outbox";

// Texts leave through Twilio's real SDK to a local stand-in of its Messages API (test/twilio-standin.ts): delivered
// once, retried on 429/5xx without a second message even when an answer was lost, dead-lettered on a 400 about the
// number, and waiting (never dead) on a configuration problem. The rows of this file wait in the year 2001 so that
// runs here never claim another file's texts (and theirs never claim these).

let standin: TwilioStandin;
let sender: SmsSender;
let clock = Date.UTC(2001, 0, 1);
const HOUR = 3_600_000;

async function queue(to = uniqueMobile()): Promise<{ id: string; to: string; body: string }> {
  const body = `Your Twofold verification code is ${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}. (${to})`;
  const { id } = await db.$transaction((tx) => enqueueSms(tx, { to, template: "sms-code:enrol", body }));
  clock += 24 * HOUR;
  await db.outboxMessage.update({ where: { id }, data: { nextAttemptAt: new Date(clock) } });
  return { id, to, body };
}

/** Runs delivery at the row's next attempt time (as the worker would, then), for this file's rows only. */
async function deliver(id: string) {
  const row = await db.outboxMessage.findUniqueOrThrow({ where: { id } });
  return deliverDueTexts({ now: row.nextAttemptAt, sender });
}

beforeAll(async () => {
  standin = await startTwilioStandin();
  sender = createTwilioSmsSender({
    accountSid: standin.accountSid,
    authToken: standin.authToken,
    from: "+15005550006",
    baseUrl: standin.url,
  });
});
beforeEach(() => {
  standin.faults.length = 0;
});
afterAll(async () => {
  await standin.close();
  await db.$disconnect();
});

const messagesTo = (to: string) => standin.messages.filter((m) => m.to === to);

describe("texts through the twilio SDK", () => {
  it("delivers a queued text once, keeps Twilio's SID, and scrubs the body", async () => {
    const t = await queue();
    const report = await deliver(t.id);
    expect(report).toMatchObject({ claimed: 1, sent: 1, dead: 0 });
    expect(messagesTo(t.to)).toHaveLength(1);
    expect(messagesTo(t.to)[0]?.body).toBe(t.body);
    expect(messagesTo(t.to)[0]?.from).toBe("+15005550006");
    const row = await db.outboxMessage.findUniqueOrThrow({ where: { id: t.id } });
    expect(row.status).toBe("SENT");
    expect(row.providerId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(row.providerId).toBe(messagesTo(t.to)[0]?.sid);
    expect(JSON.stringify(row.payload)).not.toContain("$sealed");
    expect(JSON.stringify(row.payload)).not.toContain(t.body.slice(0, 40));
    // Nothing left to do: a second run claims nothing.
    expect((await deliverDueTexts({ now: new Date(clock + HOUR), sender })).claimed).toBe(0);
  });

  it.each([
    [{ kind: "status", status: 429 } as const],
    [{ kind: "status", status: 500 } as const],
    [{ kind: "status", status: 503 } as const],
  ])("retries after %o with backoff and sends once", async (fault) => {
    const t = await queue();
    standin.faults.push(fault);
    const first = await deliver(t.id);
    expect(first).toMatchObject({ claimed: 1, sent: 0, failed: 1, dead: 0 });
    const waiting = await db.outboxMessage.findUniqueOrThrow({ where: { id: t.id } });
    expect(waiting.status).toBe("PENDING");
    expect(waiting.attempts).toBe(1);
    expect(waiting.nextAttemptAt.getTime() - clock).toBeGreaterThanOrEqual(24_000);
    expect(waiting.lastError).toContain(`HTTP ${fault.status}`);
    // Not before the backoff.
    expect((await deliverDueTexts({ now: new Date(clock + 1000), sender })).claimed).toBe(0);
    expect((await deliver(t.id)).sent).toBe(1);
    expect(messagesTo(t.to)).toHaveLength(1);
  });

  it.each([["created-then-500"] as const, ["created-then-drop"] as const])(
    "a message created whose answer was lost (%s) is found, not sent again",
    async (kind) => {
      const t = await queue();
      standin.faults.push({ kind });
      expect((await deliver(t.id)).failed).toBe(1);
      expect(messagesTo(t.to)).toHaveLength(1);
      const marked = await db.outboxMessage.findUniqueOrThrow({ where: { id: t.id } });
      expect(marked.batchKey).toMatch(/^sms-attempt:/);
      expect((await deliver(t.id)).sent).toBe(1);
      expect(messagesTo(t.to)).toHaveLength(1);
      const row = await db.outboxMessage.findUniqueOrThrow({ where: { id: t.id } });
      expect(row.status).toBe("SENT");
      expect(row.providerId).toBe(messagesTo(t.to)[0]?.sid);
      expect(standin.posts.filter((p) => p.to === t.to)).toHaveLength(1);
    },
  );

  it("a lost answer for a message Twilio did not create is sent again, once", async () => {
    const t = await queue();
    standin.faults.push({ kind: "status", status: 502 });
    await deliver(t.id);
    expect(messagesTo(t.to)).toHaveLength(0);
    expect((await deliver(t.id)).sent).toBe(1);
    expect(messagesTo(t.to)).toHaveLength(1);
  });

  it.each([21211, 21614, 21408] as const)("dead-letters a text Twilio refuses with %i", async (code) => {
    const t = await queue();
    standin.refuse.set(t.to, code);
    const report = await deliver(t.id);
    expect(report).toMatchObject({ claimed: 1, sent: 0, dead: 1 });
    const row = await db.outboxMessage.findUniqueOrThrow({ where: { id: t.id } });
    expect(row.status).toBe("DEAD");
    expect(row.lastError).toContain(`error ${code}`);
    expect(messagesTo(t.to)).toHaveLength(0);
  });

  it("a wrong Auth Token is a configuration problem: the text waits, never dead", async () => {
    const t = await queue();
    const wrong = createTwilioSmsSender({
      accountSid: standin.accountSid,
      authToken: "not-the-token",
      from: "+15005550006",
      baseUrl: standin.url,
    });
    const row0 = await db.outboxMessage.findUniqueOrThrow({ where: { id: t.id } });
    const report = await deliverDueTexts({ now: row0.nextAttemptAt, sender: wrong });
    expect(report.configurationProblem).toContain("20003");
    const row = await db.outboxMessage.findUniqueOrThrow({ where: { id: t.id } });
    expect(row.status).toBe("PENDING");
    expect((await deliver(t.id)).sent).toBe(1);
  });

  it("concurrent delivery runs send each text once", async () => {
    const texts = await Promise.all(Array.from({ length: 8 }, () => queue()));
    // All due at one time.
    await db.outboxMessage.updateMany({
      where: { id: { in: texts.map((t) => t.id) } },
      data: { nextAttemptAt: new Date(clock) },
    });
    const runs = await Promise.all(Array.from({ length: 4 }, () => deliverDueTexts({ now: new Date(clock), sender })));
    expect(runs.reduce((n, r) => n + r.sent, 0)).toBe(8);
    for (const t of texts) expect(messagesTo(t.to)).toHaveLength(1);
  });
});

describe("texts to the local mailbox", () => {
  it("lands once as a MailboxMessage of kind SMS, even when delivered twice", async () => {
    const local = createLocalSmsSender();
    const to = uniqueMobile();
    const t = await queue(to);
    const text = await latestText(to);
    const row = await db.outboxMessage.findUniqueOrThrow({ where: { id: t.id } });
    expect((await deliverDueTexts({ now: row.nextAttemptAt, sender: local })).sent).toBe(1);
    await local.send({ outboxId: t.id, to, body: t.body });
    const box = await db.mailboxMessage.findMany({ where: { to } });
    expect(box).toHaveLength(1);
    expect(box[0]?.kind).toBe("SMS");
    expect(box[0]?.text).toBe(t.body);
    expect(text.code).toMatch(/^\d{6}$/);
    // The development mailbox lists it beside mail, with its whole text.
    const listed = await listMailboxMessages({ input: { to } });
    expect(listed).toEqual([expect.objectContaining({ kind: "SMS", to, body: t.body })]);
    expect(await listMailboxMessages({ input: { to, kind: "EMAIL" } })).toEqual([]);
  });
});
