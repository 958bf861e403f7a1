// Benchmark: turning on "require 2FA" for an organization of N members (issue 4: one transaction, < 2 s at 10,000
// members locally), and delivering its announcement through the real Resend SDK to a local stand-in of the API.
//
//   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npx tsx bench/enforcement.ts [members=10000] [runs=5] [no-delivery]
//
// A fresh migrated database; one Professional organization of N members (bench/bulk.ts: ~10 % SSO), ~40 % of the
// password accounts with an authenticator app, every member signed in once. Each run restores the sessions and the
// policy, then times `saveTwoFactorPolicy` (mode "sign out members without 2FA now"): the policy row, ONE set-based
// UPDATE of the non-compliant members' sessions, the announcement (one INSERT of N outbox rows), the audit row — all
// one transaction. Then the last run's announcement is delivered with `deliverDueMessages` (Resend batch sends of up
// to 100) and the provider calls are counted by the stand-in. Appends to bench/results/enforcement.md.
import fs from "node:fs";
import path from "node:path";
import { hashPassword } from "../lib/crypto/password";
import { startResendCaptureServer } from "../test/resend-capture-server";
import { createTestDatabase } from "../test/test-database";
import { bulkInsertTeammates } from "./bulk";

const size = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 5);
/** `no-delivery`: time the transaction only (delivering 100,000 mails renders each one: minutes). */
const deliverToo = process.argv[4] !== "no-delivery";
const database = await createTestDatabase("twofold_bench_enforce");
process.env.DATABASE_URL = database.url;
const capture = await startResendCaptureServer();
try {
  const { db } = await import("../lib/db");
  const { signUp } = await import("../lib/services/accounts/sign-up");
  const { saveTwoFactorPolicy } = await import("../lib/services/org-policy/change");
  const { deliverDueMessages } = await import("../lib/services/outbox/deliver");
  const { createResendTransport } = await import("../lib/mail/transport");
  const ctx = { ip: "127.0.0.1", userAgent: "bench" };

  const owner = await signUp({
    input: {
      name: "Olivia Owens",
      email: "owner@bench-corp.test",
      password: "bench owner 2026",
      organizationName: "Bench",
      plan: "PROFESSIONAL",
    },
    context: ctx,
  });
  const seeded = performance.now();
  await bulkInsertTeammates(database.url, {
    organizationId: owner.organizationId,
    count: size - 1,
    passwordHash: await hashPassword("bench teammate"),
  });
  await db.$executeRawUnsafe(`
    INSERT INTO "TotpFactor" ("userId", "secretEnc", "keyVersion", "confirmedAt")
    SELECT u."id", 'v1:bench', 1, now() FROM "User" u
    WHERE u.id = '${owner.userId}' OR (u."signInMethod" = 'PASSWORD' AND abs(hashtext('totp' || u."id")) % 10 < 4)`);
  const restoreSessions = () =>
    db.$executeRawUnsafe(`
      DELETE FROM "Session";
      INSERT INTO "Session" ("id", "userId", "createdAt", "lastSeenAt", "expiresAt", "authMethod")
      SELECT 's' || md5(u.id || random()::text), u.id, now(), now(), now() + interval '12 hours', 'password'
      FROM "User" u`);
  await restoreSessions();
  // Instrumentation of the bench database only: counts INSERT statements into the outbox (a statement-level trigger
  // fires once per statement, whatever the row count), to show the announcement is queued in one statement.
  await db.$executeRawUnsafe(`CREATE TABLE bench_outbox_statements (n int NOT NULL)`);
  await db.$executeRawUnsafe(`INSERT INTO bench_outbox_statements VALUES (0)`);
  await db.$executeRawUnsafe(`
    CREATE FUNCTION bench_count_outbox_statement() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN UPDATE bench_outbox_statements SET n = n + 1; RETURN NULL; END $$`);
  await db.$executeRawUnsafe(`
    CREATE TRIGGER bench_outbox_statements AFTER INSERT ON "OutboxMessage"
    FOR EACH STATEMENT EXECUTE FUNCTION bench_count_outbox_statement()`);
  await db.$executeRawUnsafe(`ANALYZE`);
  console.log(
    `seeded ${size.toLocaleString("en-US")} members in ${((performance.now() - seeded) / 1000).toFixed(1)} s`,
  );

  // Turning the requirement on only tightens it: no step-up is checked, so the session id is never read.
  const actor = { userId: owner.userId, organizationId: owner.organizationId, sessionId: "bench" };
  const times: number[] = [];
  let last: Awaited<ReturnType<typeof saveTwoFactorPolicy>> | null = null;
  for (let i = 0; i < runs; i++) {
    await restoreSessions();
    await db.outboxMessage.deleteMany({});
    await db.$executeRawUnsafe(`UPDATE bench_outbox_statements SET n = 0`);
    // An organization enforces once in a long while: the rows the previous run deleted have been vacuumed since (what
    // autovacuum does between two real enforcements), so each run starts from the same tables.
    await db.$executeRawUnsafe(`VACUUM ANALYZE "Session", "OutboxMessage"`);
    await db.organization.update({
      where: { id: owner.organizationId },
      data: { requireTwoFactor: false, enforcementMode: null, requiredSince: null, modeSince: null },
    });
    const version = (await db.organization.findUniqueOrThrow({ where: { id: owner.organizationId } })).policyVersion;
    const t = performance.now();
    last = await saveTwoFactorPolicy({
      actor,
      input: {
        requireTwoFactor: true,
        mode: "NOW",
        exemptSso: true,
        allowedMethods: ["TOTP"],
        expectedVersion: version,
        confirmSoleAdmin: true,
      },
      context: ctx,
    });
    times.push(performance.now() - t);
  }
  const [{ n: outboxInsertStatements } = { n: -1 }] = await db.$queryRawUnsafe<{ n: number }[]>(
    `SELECT n FROM bench_outbox_statements`,
  );
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  const enforce = `enforcement ("now") at ${size.toLocaleString("en-US")} members: median ${median.toFixed(0)} ms, min ${(times[0] ?? 0).toFixed(0)} ms, max ${(times.at(-1) ?? 0).toFixed(0)} ms over ${runs} runs; ${last?.sessionsRevoked} sessions revoked, ${last?.membersWithout2fa} members without 2FA, ${last?.mailsQueued} mails queued in ${outboxInsertStatements} INSERT statement(s) (last run)`;
  console.log(enforce);

  const transport = createResendTransport({
    apiKey: capture.apiKey,
    baseUrl: capture.url,
    from: "Twofold <no-reply@bench.test>",
  });
  const delivered = performance.now();
  let providerCalls = 0;
  let sent = 0;
  for (; deliverToo; ) {
    const r = await deliverDueMessages({ transport, limit: 1000 });
    providerCalls += r.providerCalls;
    sent += r.sent;
    if (r.claimed === 0) break;
  }
  const deliveryS = (performance.now() - delivered) / 1000;
  const deliver = `announcement delivery: ${sent.toLocaleString("en-US")} mails in ${providerCalls} provider calls (stand-in saw ${capture.requests.length} requests, ${capture.requests.filter((r) => r.path === "/emails/batch").length} batch sends) in ${((performance.now() - delivered) / 1000).toFixed(1)} s (rendering included)`;
  console.log(deliver);

  const file = path.resolve("bench/results/enforcement.md");
  if (!fs.existsSync(file)) fs.writeFileSync(file, "# Organization 2FA enforcement\n\n");
  fs.appendFileSync(
    file,
    `- ${new Date().toISOString().slice(0, 16)}Z, Node ${process.version}, PostgreSQL: ${enforce}. ${deliver}.\n`,
  );
  // Read by `npm run bench -- enforcement` (bench/run.ts) for bench/results/SUMMARY.md.
  console.log(
    `BENCH_JSON ${JSON.stringify({
      members: size,
      runs,
      medianMs: median,
      minMs: times[0] ?? 0,
      maxMs: times.at(-1) ?? 0,
      sessionsRevoked: last?.sessionsRevoked ?? 0,
      mailsQueued: last?.mailsQueued ?? 0,
      outboxInsertStatements,
      delivered: sent,
      providerCalls,
      deliveryS,
    })}`,
  );
  await db.$disconnect();
} finally {
  await capture.close();
  await database.drop();
}
