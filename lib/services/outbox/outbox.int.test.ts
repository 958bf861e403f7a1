import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { addMember, createOrgWithOwner, ctx, withTwoFactor } from "@/test/factories";
import { mailData } from "@/test/mail";
import { type CaptureServer, startResendCaptureServer } from "@/test/resend-capture-server";
import { SecretDecryptionError } from "../../crypto/encryption";
import { db, Prisma } from "../../db";
import { openPayload } from "../../mail/sealed-payload";
import { createLocalTransport, createResendTransport, type MailTransport } from "../../mail/transport";
import { inviteMember } from "../teammates/invite";
import { issueRecoveryCodesForTeammate } from "../teammates/issue-teammate-recovery-codes";
import { resetTeammateTwoFactor } from "../teammates/reset-teammate-two-factor";
import { sendEnrollmentEmailCode } from "../two-factor/email-codes";
import { type DeliveryReport, deliverDueMessages, MAX_ATTEMPTS } from "./deliver";
import { enqueueMail, enqueueMailBatch, enqueueMailsFromQuery, type MailMessage } from "./outbox";
import { listDeadMail, listStuckMail, purgeSentMail, requeueDeadMail, SENT_RETENTION_DAYS } from "./outbox-admin";

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
    for (const k of ["claimed", "sent", "failed", "dead", "providerCalls"] as const) total[k] += r[k];
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
    // the link is sealed (S41): only the worker opens it, for this row
    expect(JSON.stringify(row.payload)).not.toContain("/invite/");
    expect(openPayload(row, row.payload)).toEqual(invitation(`committed@${d}`).data);
    expect(server.requests).toHaveLength(0); // enqueueing never sends
  });

  it("a query-built batch (INSERT … SELECT) is refused for templates that carry secrets (S41: sealed per mail)", async () => {
    const d = domain();
    const source = Prisma.sql`SELECT ${`q@${d}`}::text AS "to", ${JSON.stringify({ name: "Q" })}::jsonb AS "data"`;
    await expect(db.$transaction((tx) => enqueueMailsFromQuery(tx, "invitation", source))).rejects.toThrow(
      /sealed per mail/,
    );
    expect(await db.outboxMessage.count({ where: { to: `q@${d}` } })).toBe(0);
    const { count } = await db.$transaction((tx) =>
      enqueueMailsFromQuery(
        tx,
        "org-two-factor",
        Prisma.sql`SELECT ${` q@${d} `}::text AS "to", ${JSON.stringify({ kind: "required", name: "Q" })}::jsonb AS "data"`,
      ),
    );
    expect(count).toBe(1);
    const row = await db.outboxMessage.findFirstOrThrow({ where: { to: `q@${d}` } });
    expect(row).toMatchObject({ kind: "EMAIL", status: "PENDING", template: "org-two-factor" });
    expect(row.payload).toEqual({ kind: "required", name: "Q" });
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
  }, 180_000); // 1000 rows: slow on a loaded machine; a timeout here would leak its run into the next test

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

// ---------------------------------------------------------------------------------------------------------------------
// Exactly once (issue 9 item 14): a failed provider call is retried as the same group under the same idempotency key.

/** A worker loop on a simulated clock: one run every `stepMs` from `from` to `to` (the real loop polls every 2 s). */
async function poll(options: {
  from: Date;
  to: Date;
  stepMs?: number;
  limit?: number;
  transport: MailTransport;
}): Promise<DeliveryReport & { reports: DeliveryReport[] }> {
  const total = { claimed: 0, sent: 0, failed: 0, dead: 0, providerCalls: 0, reports: [] as DeliveryReport[] };
  for (let t = options.from.getTime(); t <= options.to.getTime(); t += options.stepMs ?? 2 * SECOND) {
    const r = await deliverDueMessages({ now: new Date(t), limit: options.limit, transport: options.transport });
    if (r.claimed > 0) total.reports.push(r);
    for (const k of ["claimed", "sent", "failed", "dead", "providerCalls"] as const) total[k] += r[k];
  }
  return total;
}

/** How many times the capture server delivered each of `ids` (what the recipients got). */
function deliveries(ids: string[]): number[] {
  const counts = new Map<string, number>();
  for (const id of outboxIdsSent()) if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  return ids.map((id) => counts.get(id) ?? 0);
}

const MINUTE = 60 * SECOND;

describe("outbox: each mail is delivered exactly once", () => {
  it("Resend accepted a batch and the answer was lost: the retry replays it, no mail is delivered twice", async () => {
    const d = domain();
    const ids = await enqueueDue(Array.from({ length: 8 }, (_, i) => invitation(`lost${i}@${d}`)));
    server.dropNextResponses(1);
    const report = await poll({ from: T, to: at(10 * MINUTE), transport: resend });
    expect(server.requests[0]).toMatchObject({ path: "/emails/batch", dropped: true });
    expect(server.requests[0]?.emails).toHaveLength(8);
    expect(deliveries(ids)).toEqual(Array(8).fill(1)); // was 8 × 2 when each row retried on its own jittered delay
    expect(server.accepted).toHaveLength(8);
    // one retry, of the same group under the same key, answered from Resend's idempotency store
    expect(server.requests.map((r) => r.idempotencyKey)).toEqual([
      server.requests[0]?.idempotencyKey,
      server.requests[0]?.idempotencyKey,
    ]);
    expect(server.requests[1]).toMatchObject({ replayed: true, status: 200 });
    expect(report).toMatchObject({ sent: 8, failed: 8, dead: 0, providerCalls: 2 });
    const rows = await db.outboxMessage.findMany({ where: { id: { in: ids } } });
    const idByOutbox = new Map(server.accepted.map((a) => [a.headers?.["X-Twofold-Outbox-Id"], a.id]));
    expect(rows.every((r) => r.status === "SENT" && r.attempts === 1 && r.providerId === idByOutbox.get(r.id))).toBe(
      true,
    );
  });

  it("a group is retried whole even by a worker that claims fewer rows than the group has", async () => {
    const d = domain();
    const ids = await enqueueDue(Array.from({ length: 8 }, (_, i) => invitation(`whole${i}@${d}`)));
    server.dropNextResponses(1);
    await deliverDueMessages({ now: T, transport: resend });
    const retry = await deliverDueMessages({ now: at(HOUR), limit: 3, transport: resend });
    expect(retry).toMatchObject({ claimed: 8, sent: 8, providerCalls: 1 });
    expect(server.requests[1]).toMatchObject({ replayed: true, idempotencyKey: server.requests[0]?.idempotencyKey });
    expect(deliveries(ids)).toEqual(Array(8).fill(1));
  });

  it("two worker loops on one database, lost answers: each mail delivered exactly once", async () => {
    const d = domain();
    const ids = await enqueueDue(Array.from({ length: 60 }, (_, i) => invitation(`pair${i}@${d}`)));
    server.dropNextResponses(3);
    server.setDelay(20); // keep both workers' calls in flight together
    const [a, b] = await Promise.all([
      poll({ from: T, to: at(5 * MINUTE), limit: 10, transport: resend }),
      poll({ from: T, to: at(5 * MINUTE), limit: 10, transport: resend }),
    ]);
    expect(a.claimed).toBeGreaterThan(0);
    expect(b.claimed).toBeGreaterThan(0);
    expect(server.requests.filter((r) => r.dropped)).toHaveLength(3);
    expect(deliveries(ids)).toEqual(Array(60).fill(1));
    expect(await db.outboxMessage.count({ where: { id: { in: ids }, status: "SENT" } })).toBe(60);
  });

  it("two worker PROCESSES on one database, lost answers and 500s: each mail delivered exactly once", async () => {
    const d = domain();
    const ids = await enqueueDue(Array.from({ length: 60 }, (_, i) => invitation(`proc${i}@${d}`)));
    server.failNext(2, 500);
    server.dropNextResponses(4);
    server.setDelay(30);
    const worker = () => {
      const child = spawn(path.resolve("node_modules/.bin/tsx"), ["test/outbox-worker-process.ts"], {
        env: {
          ...process.env,
          CAPTURE_URL: server.url,
          CAPTURE_API_KEY: server.apiKey,
          CLOCK_START: T.toISOString(),
          CLOCK_STEP_MS: String(2 * SECOND),
          CLOCK_STEPS: "300", // 10 minutes of polling
          CLAIM_LIMIT: "10",
        },
        stdio: ["pipe", "pipe", "inherit"],
      });
      let out = "";
      const ready = new Promise<void>((resolve) =>
        child.stdout.on("data", (c: Buffer) => {
          out += c.toString();
          if (out.includes("ready")) resolve();
        }),
      );
      const done = new Promise<DeliveryReport>((resolve, reject) =>
        child.on("exit", (code) =>
          code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1) ?? "{}")) : reject(new Error(`exit ${code}`)),
        ),
      );
      return { child, ready, done };
    };
    const workers = [worker(), worker()];
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.child.stdin.end("go\n");
    const [a, b] = await Promise.all(workers.map((w) => w.done));
    expect(a?.claimed).toBeGreaterThan(0); // both processes really worked
    expect(b?.claimed).toBeGreaterThan(0);
    await poll({ from: at(10 * MINUTE), to: at(20 * MINUTE), stepMs: MINUTE, transport: resend }); // leftovers
    expect(server.requests.filter((r) => r.dropped)).toHaveLength(4);
    expect(deliveries(ids)).toEqual(Array(60).fill(1));
    expect(await db.outboxMessage.count({ where: { id: { in: ids }, status: "SENT" } })).toBe(60);
  }, 120_000);

  it("Resend answers 500 for a while: the same group is retried under the same key, and delivered once", async () => {
    const d = domain();
    const ids = await enqueueDue(Array.from({ length: 30 }, (_, i) => invitation(`down${i}@${d}`)));
    server.failNext(6, 500);
    const report = await poll({ from: T, to: at(60 * MINUTE), stepMs: 10 * SECOND, transport: resend });
    expect(server.requests.map((r) => r.status)).toEqual([500, 500, 500, 500, 500, 500, 200]);
    expect(new Set(server.requests.map((r) => r.idempotencyKey)).size).toBe(1);
    expect(server.requests.every((r) => r.emails.length === 30)).toBe(true);
    expect(deliveries(ids)).toEqual(Array(30).fill(1));
    expect(report).toMatchObject({ sent: 30, dead: 0, providerCalls: 7 });
    const rows = await db.outboxMessage.findMany({ where: { id: { in: ids } } });
    expect(rows.every((r) => r.status === "SENT" && r.attempts === 6)).toBe(true);
  });

  it("403 validation_error (sender domain not verified) is a configuration problem: retried and reported, never DEAD", async () => {
    const d = domain();
    const ids = await enqueueDue([invitation(`cfg1@${d}`), invitation(`cfg2@${d}`), invitation(`cfg3@${d}`)]);
    server.setDomainVerified(false);
    for (let i = 0; i < MAX_ATTEMPTS + 3; i++) {
      const r = await deliverDueMessages({ now: at(i * 2 * HOUR), transport: resend });
      expect(r).toMatchObject({ claimed: 3, sent: 0, failed: 3, dead: 0 });
      expect(r.configurationProblem).toMatch(/^resend 403 validation_error: The twofold\.test domain is not verified/);
    }
    const rows = await db.outboxMessage.findMany({ where: { id: { in: ids } } });
    expect(rows.every((r) => r.status === "PENDING" && r.attempts === MAX_ATTEMPTS + 3)).toBe(true);
    expect(rows[0]?.lastError).toMatch(/domain is not verified/);
    // operators see it (npm run mail:dead lists pending mail that keeps failing)
    const stuck = await listStuckMail();
    expect(stuck.find((s) => s.lastError.includes("domain is not verified"))?.count).toBeGreaterThanOrEqual(3);

    server.setDomainVerified(true); // the operator verifies the domain
    expect(await deliverDueMessages({ now: at(40 * HOUR), transport: resend })).toMatchObject({ sent: 3 });
    expect(deliveries(ids)).toEqual([1, 1, 1]);
  });

  it("a wrong API key (403 invalid_api_key) is a configuration problem too: the mail waits", async () => {
    const [id] = await enqueueDue([invitation(`key@${domain()}`)]);
    const wrong = createResendTransport({
      apiKey: "re_wrong_key_1234567",
      baseUrl: server.url,
      from: "a@twofold.test",
    });
    for (let i = 0; i < MAX_ATTEMPTS + 1; i++) await deliverDueMessages({ now: at(i * 2 * HOUR), transport: wrong });
    const row = await db.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "PENDING", attempts: MAX_ATTEMPTS + 1 });
    expect(row.lastError).toBe("resend 403 invalid_api_key: API key is invalid.");
    expect(await deliverDueMessages({ now: at(40 * HOUR), transport: resend })).toMatchObject({ sent: 1 });
  });

  it("409 invalid_idempotent_request: the earlier call under this key was accepted → SENT, never sent again", async () => {
    const d = domain();
    const ids = await enqueueDue([invitation(`dup1@${d}`), invitation(`dup2@${d}`), invitation(`dup3@${d}`)]);
    server.dropNextResponses(1);
    expect(await deliverDueMessages({ now: T, transport: resend })).toMatchObject({ sent: 0, failed: 3 });
    expect(server.accepted).toHaveLength(3); // accepted, answer lost
    // Between the attempts the mail changed (e.g. a template edit was deployed): same key, another payload.
    const [first] = ids;
    const row = await db.outboxMessage.findUniqueOrThrow({ where: { id: first } });
    await db.outboxMessage.update({
      where: { id: first },
      data: { payload: { ...(row.payload as object), inviterName: "Olivia Changed" } },
    });
    const report = await deliverDueMessages({ now: at(HOUR), transport: resend });
    expect(server.requests[1]).toMatchObject({ status: 409, replayed: false });
    expect(report).toMatchObject({ claimed: 3, sent: 3, dead: 0 });
    expect(deliveries(ids)).toEqual([1, 1, 1]);
    const rows = await db.outboxMessage.findMany({ where: { id: { in: ids } } });
    expect(rows.every((r) => r.status === "SENT" && r.providerId === null)).toBe(true);
    expect(await deliverDueMessages({ now: at(10 * HOUR), transport: resend })).toMatchObject({ claimed: 0 });
  });

  it("a single mail Resend rejects (422, bad recipient) is DEAD at once and leaves its group", async () => {
    const d = domain();
    server.rejectAddresses([`nobody@${d}`]);
    const [id] = await enqueueDue([invitation(`nobody@${d}`)]);
    expect(await deliverDueMessages({ now: T, transport: resend })).toMatchObject({ dead: 1 });
    const row = await db.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "DEAD", attempts: 1, batchKey: null });
    expect(row.lastError).toBe("resend 422 validation_error: Invalid `to` field.");
  });
});

describe("outbox: dead mail for operators (npm run mail:dead)", () => {
  const run = (args: string[]) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(path.resolve("node_modules/.bin/tsx"), ["scripts/mail-dead.ts", ...args], {
        env: process.env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      child.stdout.on("data", (c: Buffer) => {
        out += c.toString();
      });
      child.stderr.on("data", (c: Buffer) => {
        out += c.toString();
      });
      child.on("exit", (code) => resolve({ code, out }));
    });

  it("lists dead mail with its error, requeues the chosen rows, which are then delivered", async () => {
    const d = domain();
    server.rejectAddresses([`gone1@${d}`, `gone2@${d}`]);
    const ids = await enqueueDue([invitation(`gone1@${d}`), invitation(`gone2@${d}`)]);
    expect(await deliverDueMessages({ now: T, transport: resend })).toMatchObject({ dead: 2 });
    const [one, two] = [...ids].sort();

    const { mails } = await listDeadMail({ input: { limit: 10_000 } });
    expect(mails.filter((m) => ids.includes(m.id)).map((m) => m.lastError)).toEqual([
      "resend rejected: Invalid `to` field.",
      "resend rejected: Invalid `to` field.",
    ]);
    const listed = await run([]);
    expect(listed.code).toBe(0);
    expect(listed.out).toContain(`${one}`);
    expect(listed.out).toContain(`invitation  to gone1@${d}`);
    expect(listed.out).toContain("last error: resend rejected: Invalid `to` field.");

    server.rejectAddresses([]); // the operator fixed the cause
    const requeued = await run(["--requeue", one as string, "no-such-id"]);
    expect(requeued.out).toContain(`Requeued 1: ${one}`);
    expect(requeued.out).toContain("left alone: no-such-id");
    expect(requeued.code).toBe(1);
    const row = await db.outboxMessage.findUniqueOrThrow({ where: { id: one } });
    expect(row).toMatchObject({ status: "PENDING", attempts: 0, lockedUntil: null });
    expect((await db.outboxMessage.findUniqueOrThrow({ where: { id: two } })).status).toBe("DEAD");
    await db.outboxMessage.update({ where: { id: one }, data: { nextAttemptAt: T } });
    expect(await deliverDueMessages({ now: at(MINUTE), transport: resend })).toMatchObject({ claimed: 1, sent: 1 });
    expect(deliveries([one as string, two as string])).toEqual([1, 0]);

    expect(await run(["--bogus"])).toMatchObject({ code: 2 });
  }, 60_000);

  it("requeue brings back the whole provider call of a mail whose answer is unknown, under its key", async () => {
    const d = domain();
    const ids = await enqueueDue([invitation(`again1@${d}`), invitation(`again2@${d}`)]);
    server.failNext(1000, 500); // the outcome of every call is unknown to the outbox (a 500 may follow acceptance)
    for (let i = 0; i < MAX_ATTEMPTS; i++) await deliverDueMessages({ now: at(i * 2 * HOUR), transport: resend });
    expect(await db.outboxMessage.count({ where: { id: { in: ids }, status: "DEAD" } })).toBe(2);
    const { requeued } = await requeueDeadMail({ input: { which: [ids[0] as string] } }, { now: at(30 * HOUR) });
    expect(requeued).toEqual([...ids].sort()); // its partner in the same call came back with it
    server.failNext(0, 500);
    expect(await deliverDueMessages({ now: at(30 * HOUR), transport: resend })).toMatchObject({ sent: 2 });
    expect(deliveries(ids)).toEqual([1, 1]);
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// S41: codes, tokens and links in queued mail are sealed before the row is written, opened only to send, scrubbed
// once sent, and sent rows are deleted after the retention period.

describe("outbox: no live secret rests in the database in clear (S41)", () => {
  /** Every OutboxMessage row whose full JSON (every column) contains `needle`, as `grep` on a dump would find it. */
  const rowsContaining = async (needle: string) =>
    (
      await db.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM "OutboxMessage" o WHERE strpos(row_to_json(o)::text, ${needle}) > 0`
    )[0]?.n;

  it("for each mail that carries a secret: sealed before send, in the delivered mail, gone from the row after", async () => {
    const t0 = new Date();
    const now = new Date(t0.getTime() + MINUTE);
    const owner = await withTwoFactor(await createOrgWithOwner(), t0);
    const admin = { userId: owner.userId, organizationId: owner.organizationId, sessionId: owner.sessionId };
    const resetMe = await withTwoFactor(await addMember(owner.actor, { name: "Reset Me" }), t0);
    const codesFor = await withTwoFactor(await addMember(owner.actor, { name: "Codes For" }), t0);
    const emailed = await addMember(owner.actor, { name: "Email Code" });
    const invitee = `invitee-${randomUUID().slice(0, 8)}@example.test`;

    const cases: {
      template: string;
      to: string;
      send: () => Promise<unknown>;
      secrets: (d: Record<string, unknown>) => string[];
    }[] = [
      {
        template: "invitation",
        to: invitee,
        send: () =>
          inviteMember({
            actor: owner.actor,
            input: { email: invitee, role: "ADMIN", type: "EMPLOYEE" },
            context: ctx,
          }),
        secrets: (d) => [String(d.acceptUrl).split("/invite/")[1] ?? ""],
      },
      {
        template: "two-factor-reset",
        to: resetMe.email,
        send: () =>
          resetTeammateTwoFactor(
            { actor: admin, input: { membershipId: resetMe.membershipId }, context: ctx },
            { now },
          ),
        secrets: (d) => [String(d.reEnrollUrl).split("/re-enroll/")[1] ?? ""],
      },
      {
        template: "recovery-codes-issued",
        to: codesFor.email,
        send: () =>
          issueRecoveryCodesForTeammate(
            { actor: admin, input: { membershipId: codesFor.membershipId }, context: ctx },
            { now },
          ),
        secrets: (d) => d.codes as string[],
      },
      {
        template: "email-code",
        to: emailed.email,
        send: () => sendEnrollmentEmailCode({ actor: emailed, context: ctx }, { now }),
        secrets: (d) => [String(d.code)],
      },
    ];
    for (const c of cases) {
      await c.send();
      const row = await db.outboxMessage.findFirstOrThrow({
        where: { to: c.to, template: c.template },
        orderBy: { createdAt: "desc" },
      });
      const secrets = c.secrets(mailData(row)); // what the worker will open at send time
      expect(secrets.length, c.template).toBeGreaterThan(0);
      for (const s of secrets) {
        expect(s.length, c.template).toBeGreaterThanOrEqual(6);
        expect(await rowsContaining(s), `${c.template} before send`).toBe(0);
      }
      expect(row.payload).toHaveProperty("$sealed");

      await db.outboxMessage.update({ where: { id: row.id }, data: { nextAttemptAt: T } });
      expect(await deliverDueMessages({ now: T, transport: createLocalTransport() })).toMatchObject({ sent: 1 });
      const delivered = await db.mailboxMessage.findUniqueOrThrow({ where: { outboxId: row.id } });
      for (const s of secrets) expect(delivered.text, c.template).toContain(s); // the mail itself carried it
      const sent = await db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } });
      expect(sent.status).toBe("SENT");
      for (const s of secrets) expect(await rowsContaining(s), `${c.template} after send`).toBe(0);
      expect(sent.payload).not.toHaveProperty("$sealed");
      expect((sent.payload as Record<string, unknown>).$scrubbed).toEqual(
        (row.payload as { $sealed: { fields: string[] } }).$sealed.fields,
      );
      await db.mailboxMessage.delete({ where: { id: delivered.id } });
    }
  });

  it("a sealed payload opens only for its own row and recipient", async () => {
    const [a, b] = await enqueueDue([invitation(`seal-a@${domain()}`), invitation(`seal-b@${domain()}`)]);
    const rowA = await db.outboxMessage.findUniqueOrThrow({ where: { id: a } });
    const rowB = await db.outboxMessage.findUniqueOrThrow({ where: { id: b } });
    // A database writer redirects A's sealed link to B's row, or to another address: it no longer opens.
    await db.outboxMessage.update({ where: { id: b }, data: { payload: rowA.payload as object } });
    await db.outboxMessage.update({ where: { id: a }, data: { to: `attacker@${domain()}` } });
    expect(() => mailData({ ...rowB, payload: rowA.payload })).toThrow(SecretDecryptionError);
    const report = await deliverDueMessages({ now: T, transport: resend });
    expect(report).toMatchObject({ claimed: 2, sent: 0, failed: 2 });
    expect(server.requests).toHaveLength(0);
  });

  it(`sent mail is deleted ${SENT_RETENTION_DAYS} days after it was sent; newer, pending and dead mail stay`, async () => {
    const now = new Date();
    const daysAgo = (n: number) => new Date(now.getTime() - n * 24 * HOUR);
    const d = domain();
    const make = (tag: string, status: "SENT" | "PENDING" | "DEAD", sentAt: Date | null, createdAt: Date) =>
      db.outboxMessage.create({
        data: { to: `${tag}@${d}`, template: "invitation", payload: {}, status, sentAt, createdAt, nextAttemptAt: T },
        select: { id: true },
      });
    const old = await make("old-sent", "SENT", daysAgo(31), daysAgo(31));
    const recent = await make("recent-sent", "SENT", daysAgo(29), daysAgo(40));
    const pending = await make("old-pending", "PENDING", null, daysAgo(60));
    const dead = await make("old-dead", "DEAD", null, daysAgo(60));
    await db.outboxMessage.update({ where: { id: pending.id }, data: { nextAttemptAt: at(100 * 365 * 24 * HOUR) } });
    expect(await purgeSentMail({ now })).toBeGreaterThanOrEqual(1);
    const left = await db.outboxMessage.findMany({ where: { to: { endsWith: d } }, select: { id: true } });
    expect(left.map((r) => r.id).sort()).toEqual([recent.id, pending.id, dead.id].sort());
    expect(await db.outboxMessage.count({ where: { id: old.id } })).toBe(0);
  });
});
