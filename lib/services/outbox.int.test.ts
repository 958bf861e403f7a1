import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type CaptureServer, startResendCaptureServer } from "@/test/resend-capture-server";
import { db } from "../db";
import { createLocalTransport, createResendTransport, type MailTransport } from "../mail/transport";
import {
  type DeliveryReport,
  deliverDueMessages,
  enqueueMail,
  enqueueMailBatch,
  MAX_ATTEMPTS,
  type MailMessage,
} from "./outbox";

// Every mail here goes to *.outbox.test and is made due at a fixed time in 2001, and every delivery runs with a `now`
// near it: rows that other test files enqueue at the real time are never due for these runs (and vice versa).
const T = new Date("2001-01-01T00:00:00.000Z");
const at = (ms: number) => new Date(T.getTime() + ms);
const SECOND = 1000;
const HOUR = 3600 * SECOND;

let server: CaptureServer;
let resend: MailTransport;

beforeAll(async () => {
  server = await startResendCaptureServer();
  resend = createResendTransport({
    apiKey: server.apiKey,
    baseUrl: server.url,
    from: "Twofold <security@twofold.test>",
  });
});
afterAll(() => server.close());
afterEach(async () => {
  server.reset();
  const rows = await db.outboxMessage.findMany({ where: { to: { endsWith: ".outbox.test" } }, select: { id: true } });
  await db.mailboxMessage.deleteMany({ where: { outboxId: { in: rows.map((r) => r.id) } } });
  await db.outboxMessage.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
});

const domain = () => `${randomUUID().slice(0, 8)}.outbox.test`;
const invitation = (to: string): MailMessage => ({
  to,
  template: "invitation",
  data: {
    organizationName: "Acme",
    inviterName: "Olivia",
    role: "MEMBER",
    acceptUrl: `https://twofold.example/invite/${to}`,
    expiresAt: "2001-01-08T00:00:00.000Z",
  },
});

/** Enqueues through the real API (one transaction), then makes the rows due at `due`. Returns their ids. */
async function enqueueDue(messages: MailMessage[], due = T): Promise<string[]> {
  await db.$transaction((tx) => enqueueMailBatch(tx, messages));
  const rows = await db.outboxMessage.findMany({
    where: { to: { in: messages.map((m) => m.to) } },
    select: { id: true },
  });
  expect(rows).toHaveLength(messages.length);
  const ids = rows.map((r) => r.id);
  await db.outboxMessage.updateMany({ where: { id: { in: ids } }, data: { nextAttemptAt: due } });
  return ids;
}

const outboxIdsSent = () => server.accepted.map((a) => a.headers?.["X-Twofold-Outbox-Id"]);

/** Runs deliverDueMessages until nothing is due, summing the reports. */
async function drain(options: { now: Date; limit?: number; transport: MailTransport }): Promise<DeliveryReport> {
  const total: DeliveryReport = { claimed: 0, sent: 0, failed: 0, dead: 0, providerCalls: 0 };
  for (;;) {
    const r = await deliverDueMessages(options);
    if (r.claimed === 0) return total;
    for (const k of Object.keys(total) as (keyof DeliveryReport)[]) total[k] += r[k];
  }
}

describe("outbox: enqueue", () => {
  it("writes in the caller's transaction: rolled back → no row, committed → one PENDING row", async () => {
    const d = domain();
    await expect(
      db.$transaction(async (tx) => {
        await enqueueMail(tx, invitation(`rolled-back@${d}`));
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await db.outboxMessage.count({ where: { to: `rolled-back@${d}` } })).toBe(0);

    const { id } = await db.$transaction((tx) => enqueueMail(tx, invitation(`committed@${d}`)));
    const row = await db.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ kind: "EMAIL", status: "PENDING", attempts: 0, template: "invitation", sentAt: null });
    expect(row.payload).toEqual(invitation(`committed@${d}`).data);
    expect(server.requests).toHaveLength(0); // enqueueing never sends
  });
});

describe("outbox: delivery through Resend", () => {
  it("delivers once, marks SENT with the provider id, in one provider call", async () => {
    const [id] = await enqueueDue([invitation(`one@${domain()}`)]);
    const report = await deliverDueMessages({ now: T, transport: resend });
    expect(report).toEqual({ claimed: 1, sent: 1, failed: 0, dead: 0, providerCalls: 1 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ path: "/emails", idempotencyKey: id, replayed: false });
    const email = server.requests[0]?.emails[0];
    expect(email?.subject).toBe("Olivia invited you to Acme on Twofold");
    expect(email?.text).toContain(`https://twofold.example/invite/one@`);
    const row = await db.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "SENT", providerId: server.accepted[0]?.id, lockedUntil: null, attempts: 0 });
    expect(row.sentAt?.getTime()).toBe(T.getTime());
    // nothing left to do, even much later
    expect(await deliverDueMessages({ now: at(24 * HOUR), transport: resend })).toMatchObject({ claimed: 0 });
    expect(server.requests).toHaveLength(1);
  });

  it("retries a 500 after the backoff and delivers exactly once", async () => {
    const [id] = await enqueueDue([invitation(`flaky@${domain()}`)]);
    server.failNext(1, 500);
    expect(await deliverDueMessages({ now: T, transport: resend })).toEqual({
      claimed: 1,
      sent: 0,
      failed: 1,
      dead: 0,
      providerCalls: 1,
    });
    const failed = await db.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(failed).toMatchObject({ status: "PENDING", attempts: 1, lockedUntil: null });
    expect(failed.lastError).toMatch(/^resend 500 internal_server_error/);
    const delay = failed.nextAttemptAt.getTime() - T.getTime();
    expect(delay).toBeGreaterThanOrEqual(24 * SECOND);
    expect(delay).toBeLessThanOrEqual(30 * SECOND);

    expect(await deliverDueMessages({ now: at(20 * SECOND), transport: resend })).toMatchObject({ claimed: 0 });
    expect(await deliverDueMessages({ now: at(31 * SECOND), transport: resend })).toMatchObject({
      claimed: 1,
      sent: 1,
    });
    expect(server.requests.map((r) => r.idempotencyKey)).toEqual([id, id]);
    expect(outboxIdsSent()).toEqual([id]);
    expect(await db.outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "SENT", attempts: 1 });
  });

  it("on 429 waits for Retry-After (longer than the backoff) and never delivers twice", async () => {
    const [id] = await enqueueDue([invitation(`limited@${domain()}`)]);
    server.failNext(1, 429, 120);
    expect(await deliverDueMessages({ now: T, transport: resend })).toMatchObject({ failed: 1, sent: 0 });
    const row = await db.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row.nextAttemptAt.getTime()).toBe(at(120 * SECOND).getTime());
    expect(row.lastError).toMatch(/429 rate_limit_exceeded/);

    expect(await deliverDueMessages({ now: at(60 * SECOND), transport: resend })).toMatchObject({ claimed: 0 });
    expect(server.requests).toHaveLength(1);
    expect(await deliverDueMessages({ now: at(120 * SECOND), transport: resend })).toMatchObject({ sent: 1 });
    expect(await deliverDueMessages({ now: at(2 * HOUR), transport: resend })).toMatchObject({ claimed: 0 });
    expect(outboxIdsSent()).toEqual([id]);
    expect(server.requests).toHaveLength(2);
  });

  it("two concurrent workers on 250 mails send each exactly once, in ~ceil(250/100) provider calls", async () => {
    const d = domain();
    const ids = await enqueueDue(Array.from({ length: 250 }, (_, i) => invitation(`bulk${i}@${d}`)));
    server.setDelay(100); // keep both workers' provider calls in flight together
    const [a, b] = await Promise.all([drain({ now: T, transport: resend }), drain({ now: T, transport: resend })]);
    const calls = (a?.providerCalls ?? 0) + (b?.providerCalls ?? 0);
    expect((a?.claimed ?? 0) + (b?.claimed ?? 0)).toBe(250);
    expect((a?.sent ?? 0) + (b?.sent ?? 0)).toBe(250);
    expect(a?.claimed).toBeGreaterThan(0); // both really worked
    expect(b?.claimed).toBeGreaterThan(0);
    // 100 + 100 + 50, or the last 50 split between the two workers
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(calls).toBeLessThanOrEqual(4);
    expect(server.requests).toHaveLength(calls);
    expect(server.requests.every((r) => r.path === "/emails/batch" && !r.replayed && r.emails.length <= 100)).toBe(
      true,
    );
    expect(outboxIdsSent().sort()).toEqual([...ids].sort()); // every row, each exactly once
    const rows = await db.outboxMessage.findMany({ where: { id: { in: ids } } });
    expect(rows.every((r) => r.status === "SENT" && r.providerId)).toBe(true);
    expect(new Set(rows.map((r) => r.providerId)).size).toBe(250);
  });

  it("one worker sends N mails in ceil(N/100) provider calls (N = 1000 → 10)", async () => {
    const d = domain();
    const ids = await enqueueDue(Array.from({ length: 1000 }, (_, i) => invitation(`many${i}@${d}`)));
    const report = await deliverDueMessages({ now: T, limit: 1000, transport: resend });
    expect(report).toEqual({ claimed: 1000, sent: 1000, failed: 0, dead: 0, providerCalls: 10 });
    expect(server.requests.map((r) => r.emails.length)).toEqual(Array(10).fill(100));
    expect(new Set(outboxIdsSent()).size).toBe(1000);
    expect(await db.outboxMessage.count({ where: { id: { in: ids }, status: "SENT" } })).toBe(1000);
  });

  it(`marks a mail DEAD after ${MAX_ATTEMPTS} failures and stops trying`, async () => {
    const [id] = await enqueueDue([invitation(`doomed@${domain()}`)]);
    server.failNext(1000, 500);
    const reports: DeliveryReport[] = [];
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      // each run is more than the 1 h cap after the previous one, so the row is always due again
      reports.push(await deliverDueMessages({ now: at(i * 2 * HOUR), transport: resend }));
      const row = await db.outboxMessage.findUniqueOrThrow({ where: { id } });
      expect(row.attempts).toBe(i + 1);
      expect(row.status).toBe(i + 1 < MAX_ATTEMPTS ? "PENDING" : "DEAD");
    }
    expect(reports.slice(0, -1).every((r) => r.failed === 1 && r.dead === 0)).toBe(true);
    expect(reports.at(-1)).toEqual({ claimed: 1, sent: 0, failed: 0, dead: 1, providerCalls: 1 });
    expect(await deliverDueMessages({ now: at(100 * HOUR), transport: resend })).toMatchObject({ claimed: 0 });
    expect(server.requests).toHaveLength(MAX_ATTEMPTS);
    expect(server.accepted).toHaveLength(0);
  });

  it("a rejected address is DEAD at once; the rest of its batch is SENT", async () => {
    const d = domain();
    server.rejectAddresses([`bad@${d}`]);
    await enqueueDue([invitation(`good1@${d}`), invitation(`bad@${d}`), invitation(`good2@${d}`)]);
    expect(await deliverDueMessages({ now: T, transport: resend })).toEqual({
      claimed: 3,
      sent: 2,
      failed: 0,
      dead: 1,
      providerCalls: 1,
    });
    const bad = await db.outboxMessage.findFirstOrThrow({ where: { to: `bad@${d}` } });
    expect(bad).toMatchObject({ status: "DEAD", attempts: 1 });
    expect(bad.lastError).toMatch(/rejected/);
    expect(await db.outboxMessage.count({ where: { to: { endsWith: d }, status: "SENT" } })).toBe(2);
  });

  it("a mail that cannot be rendered is retried later, never sent", async () => {
    const row = await db.outboxMessage.create({
      data: { to: `broken@${domain()}`, template: "no-such-template", payload: {}, nextAttemptAt: T },
    });
    expect(await deliverDueMessages({ now: T, transport: resend })).toEqual({
      claimed: 1,
      sent: 0,
      failed: 1,
      dead: 0,
      providerCalls: 0,
    });
    const after = await db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } });
    expect(after).toMatchObject({ status: "PENDING", attempts: 1 });
    expect(after.lastError).toMatch(/unknown mail template/);
    expect(server.requests).toHaveLength(0);
  });
});

describe("outbox: delivery to the local mailbox", () => {
  const local = createLocalTransport();

  it("concurrent deliveries write exactly one MailboxMessage per outbox row", async () => {
    const d = domain();
    const ids = await enqueueDue(Array.from({ length: 120 }, (_, i) => invitation(`m${i}@${d}`)));
    const reports = await Promise.all([1, 2, 3].map(() => drain({ now: T, limit: 50, transport: local })));
    expect(reports.reduce((n, r) => n + r.sent, 0)).toBe(120);
    const mailbox = await db.mailboxMessage.findMany({ where: { outboxId: { in: ids } } });
    expect(mailbox).toHaveLength(120);
    expect(new Set(mailbox.map((m) => m.outboxId)).size).toBe(120);
    const sample = mailbox.find((m) => m.to === `m7@${d}`);
    expect(sample?.subject).toBe("Olivia invited you to Acme on Twofold");
    expect(sample?.text).toContain(`https://twofold.example/invite/m7@${d}`);
    const rows = await db.outboxMessage.findMany({ where: { id: { in: ids } } });
    const mailboxIdByOutbox = new Map(mailbox.map((m) => [m.outboxId, m.id]));
    expect(rows.every((r) => r.status === "SENT" && r.providerId === `local:${mailboxIdByOutbox.get(r.id)}`)).toBe(
      true,
    );
  });

  it("a worker whose lease expired mid-send cannot create a second mailbox copy", async () => {
    const d = domain();
    const ids = await enqueueDue([invitation(`slow1@${d}`), invitation(`slow2@${d}`)]);
    // Worker A claims at T, then stalls inside the transport until worker B (running after A's 60 s lease) is done.
    let releaseA: () => void = () => {};
    const aMayContinue = new Promise<void>((r) => {
      releaseA = r;
    });
    let aClaimed: () => void = () => {};
    const aIsSending = new Promise<void>((r) => {
      aClaimed = r;
    });
    const stalled: MailTransport = {
      name: "local",
      maxBatchSize: 100,
      async send(mails) {
        aClaimed();
        await aMayContinue;
        return local.send(mails);
      },
    };
    const a = deliverDueMessages({ now: T, transport: stalled });
    await aIsSending;
    expect(await deliverDueMessages({ now: at(30 * SECOND), transport: local })).toMatchObject({ claimed: 0 }); // leased
    const b = await deliverDueMessages({ now: at(61 * SECOND), transport: local });
    expect(b).toMatchObject({ claimed: 2, sent: 2 });
    releaseA();
    expect(await a).toMatchObject({ claimed: 2, sent: 2 }); // A's send is a no-op: the rows already exist
    expect(await db.mailboxMessage.count({ where: { outboxId: { in: ids } } })).toBe(2);
    const rows = await db.outboxMessage.findMany({ where: { id: { in: ids } } });
    expect(rows.every((r) => r.status === "SENT" && r.sentAt?.getTime() === at(61 * SECOND).getTime())).toBe(true);
  });
});
