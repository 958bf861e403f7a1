// Micro-benchmark: the owner dashboard's data (issue 15; issue 13 target 4) in process, at a given size.
//
//   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npx tsx bench/dashboard.ts [members=100000] [iterations=200]
//
// A fresh migrated database, one organization of N members (bench/bulk.ts) of which ~40 % have an authenticator app,
// ~2 % a time-limited exemption, a join event per member spread over the last 120 days and a few hundred recovery
// code uses. Then: the full count the dashboard avoids per request (figures.ts), the clock's first run of a day (today's
// count + the history replayed from the audit log), and the median/p99 of `dashboardOverview` as a page calls it
// (figures from today's snapshot, refreshed at most every 30 s), and of a member's `memberOverview`. Never a timed test.
import { hashPassword } from "../lib/crypto/password";
import { createTestDatabase } from "../test/test-database";
import { bulkInsertTeammates } from "./bulk";
import { formatMeasurement, measure } from "./micro";

const size = Number(process.argv[2] ?? 100_000);
const iterations = Number(process.argv[3] ?? 200);
const database = await createTestDatabase("twofold_bench_dashboard");
process.env.DATABASE_URL = database.url;
try {
  const { db } = await import("../lib/db");
  const { signUp } = await import("../lib/services/accounts/sign-up");
  const { countAdoption } = await import("../lib/services/dashboard/figures");
  const { writeAdoptionSnapshots } = await import("../lib/services/dashboard/history");
  const { dashboardOverview } = await import("../lib/services/dashboard/overview");
  const { memberOverview } = await import("../lib/services/dashboard/member-overview");
  const { atRiskLists } = await import("../lib/services/dashboard/at-risk");
  const { currentAdoption } = await import("../lib/services/dashboard/figures");
  const { searchAuditEvents } = await import("../lib/services/audit/audit-search");

  const ctx = { ip: "127.0.0.1", userAgent: "bench" };
  const owner = await signUp({
    input: {
      name: "Olivia Owens",
      email: "owner@bench-dash.test",
      password: "bench owner 2026",
      organizationName: "Bench",
    },
    context: ctx,
  });
  const org = owner.organizationId;
  const started = performance.now();
  await bulkInsertTeammates(database.url, {
    organizationId: org,
    count: size - 1,
    passwordHash: await hashPassword("bench"),
  });
  await db.$executeRawUnsafe(`
    INSERT INTO "TotpFactor" ("userId", "secretEnc", "keyVersion", "confirmedAt")
    SELECT u."id", 'v1:bench', 1, now() FROM "User" u
    WHERE u."signInMethod" = 'PASSWORD' AND abs(hashtext('totp' || u."id")) % 10 < 4`);
  await db.$executeRawUnsafe(`
    UPDATE "Membership" SET "twoFactorExemptUntil" = now() + (abs(hashtext("id")) % 20) * interval '1 day'
    WHERE abs(hashtext('exempt' || "id")) % 50 = 0`);
  // The history the replay walks: every member joined (and the enrolled ones enrolled) within the last 120 days.
  await db.$executeRawUnsafe(`
    INSERT INTO "AuditEvent" ("id", "organizationId", "actorId", "targetId", "type", "createdAt")
    SELECT md5('join' || m."id"), m."organizationId", m."userId", m."userId", 'invitation.accepted',
           now() - (abs(hashtext(m."id")) % 120) * interval '1 day'
    FROM "Membership" m WHERE m."organizationId" = '${org}' AND m."role" <> 'OWNER'`);
  await db.$executeRawUnsafe(`
    INSERT INTO "AuditEvent" ("id", "organizationId", "actorId", "targetId", "type", "createdAt")
    SELECT md5('enrol' || t."userId"), '${org}', t."userId", t."userId", '2fa.enabled',
           now() - (abs(hashtext(t."userId")) % 60) * interval '1 day'
    FROM "TotpFactor" t`);
  await db.$executeRawUnsafe(`
    INSERT INTO "AuditEvent" ("id", "organizationId", "actorId", "targetId", "type", "metadata", "createdAt")
    SELECT md5('rc' || t."userId"), '${org}', t."userId", t."userId", '2fa.recovery_code_used',
           jsonb_build_object('purpose', 'sign-in', 'remaining', abs(hashtext(t."userId")) % 8), now() - interval '2 days'
    FROM "TotpFactor" t WHERE abs(hashtext('rc' || t."userId")) % 100 = 0`);
  // 2FA required with a grace period ending in two days: the "deadline near" list is on.
  await db.organization.update({
    where: { id: org },
    data: {
      requireTwoFactor: true,
      enforcementMode: "GRACE",
      requiredSince: new Date(Date.now() - 20 * 86_400_000),
      graceDays: 22,
      graceDeadline: new Date(Date.now() + 2 * 86_400_000),
    },
  });
  // The organization has existed for 120 days: the clock's first run of the day replays them all (the backfill).
  await db.organization.update({ where: { id: org }, data: { createdAt: new Date(Date.now() - 120 * 86_400_000) } });
  await db.$executeRawUnsafe(`ANALYZE`);
  console.log(
    `seeded ${size.toLocaleString("en-US")} members in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const actor = { userId: owner.userId, organizationId: org, sessionId: null };
  const member = await db.membership.findFirstOrThrow({ where: { organizationId: org, role: "MEMBER" } });
  const lines: string[] = [];
  const t0 = performance.now();
  const first = await writeAdoptionSnapshots(new Date(), { organizationId: org });
  lines.push(
    `clock, first run of the day (count + ${first.daysFinalized} past days replayed from the audit log): ${(performance.now() - t0).toFixed(0)} ms`,
  );
  lines.push(
    formatMeasurement(
      await measure("full adoption count (avoided per request)", () => countAdoption(db, [org], new Date()), 20),
    ),
  );
  lines.push(
    formatMeasurement(
      await measure("clock run (today's row)", () => writeAdoptionSnapshots(new Date(), { organizationId: org }), 20),
    ),
  );
  lines.push(
    formatMeasurement(
      await measure(
        "dashboardOverview (90 days)",
        () => dashboardOverview({ actor, input: { range: "90d" } }),
        iterations,
      ),
    ),
  );
  // The parts of the overview, to see where its time goes.
  const policy = await db.organization.findUniqueOrThrow({ where: { id: org } });
  const parts: [string, () => Promise<unknown>][] = [
    ["part: currentAdoption (today's snapshot)", () => currentAdoption(db, org, new Date())],
    ["part: atRiskLists", () => atRiskLists(db, policy, 1000, new Date())],
    ["part: last 10 audit events", () => searchAuditEvents({ actor, input: { limit: 10 } })],
  ];
  for (const [name, fn] of parts) lines.push(formatMeasurement(await measure(name, fn, iterations)));
  lines.push(
    formatMeasurement(
      await measure(
        "memberOverview",
        () => memberOverview({ actor: { userId: member.userId, organizationId: org, sessionId: null } }),
        iterations,
      ),
    ),
  );
  console.log(`\n## Dashboard data at ${size.toLocaleString("en-US")} members (in process)\n`);
  for (const l of lines) console.log(`- ${l}`);
  await db.$disconnect();
} finally {
  if (process.env.KEEP_BENCH_DATABASE) console.log(`kept ${database.url}`);
  else await database.drop();
}
