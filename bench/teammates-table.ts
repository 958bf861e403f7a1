// Micro-benchmark: the administrators' Users table query and its CSV export, in process, at a given size.
//
//   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npx tsx bench/teammates-table.ts [members=100000] [iterations=50]
//
// A fresh migrated database, one organization of N members (bench/bulk.ts), ~40 % of the password accounts with an
// authenticator app and ten recovery codes each (some used), ~2 % with a time-limited exemption; then the median and
// p99 of `listTeammatesTable` (page + count + security columns) for a few URLs, deep keyset pages included, and one
// full CSV export. Prints a table; never a timed test (bench/README.md).
import { hashPassword } from "../lib/crypto/password";
import { createTestDatabase } from "../test/test-database";
import { bulkInsertTeammates } from "./bulk";
import { formatMeasurement, measure } from "./micro";

const size = Number(process.argv[2] ?? 100_000);
const iterations = Number(process.argv[3] ?? 50);
const exportToo = process.argv[4] !== "no-export";
const database = await createTestDatabase("twofold_bench_table");
process.env.DATABASE_URL = database.url;
try {
  const { db } = await import("../lib/db");
  const { signUp } = await import("../lib/services/accounts/sign-up");
  const { listTeammatesTable } = await import("../lib/services/teammates/table");
  const { exportTeammatesCsv } = await import("../lib/services/teammates/export");
  const { parseTeammatesQuery } = await import("../lib/validation/teammates");

  const ctx = { ip: "127.0.0.1", userAgent: "bench" };
  const owner = await signUp({
    input: {
      name: "Olivia Owens",
      email: "owner@bench-corp.test",
      password: "bench owner 2026",
      organizationName: "Bench",
    },
    context: ctx,
  });
  const started = performance.now();
  await bulkInsertTeammates(database.url, {
    organizationId: owner.organizationId,
    count: size - 1,
    passwordHash: await hashPassword("bench teammate"),
  });
  await db.$executeRawUnsafe(`
    INSERT INTO "TotpFactor" ("userId", "secretEnc", "keyVersion", "confirmedAt", "lastUsedAt")
    SELECT u."id", 'v1:bench', 1, now(), now() - (abs(hashtext(u."id")) % 90) * interval '1 day'
    FROM "User" u WHERE u."signInMethod" = 'PASSWORD' AND abs(hashtext('totp' || u."id")) % 10 < 4`);
  await db.$executeRawUnsafe(`
    INSERT INTO "RecoveryCode" ("id", "userId", "codeHash", "createdAt", "usedAt")
    SELECT md5(t."userId" || i), t."userId", md5('code' || t."userId" || i), now(),
           CASE WHEN i <= abs(hashtext(t."userId")) % 4 THEN now() END
    FROM "TotpFactor" t, generate_series(1, 10) AS i`);
  await db.$executeRawUnsafe(`
    UPDATE "Membership" SET "twoFactorExemptUntil" = now() + interval '10 days', "twoFactorExemptReason" = 'bench'
    WHERE abs(hashtext('exempt' || "id")) % 50 = 0`);
  await db.$executeRawUnsafe(`VACUUM ANALYZE`);
  console.log(
    `seeded ${size.toLocaleString("en-US")} members in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const actor = { userId: owner.userId, organizationId: owner.organizationId, sessionId: null };
  const deep = async (params: Record<string, string>) => {
    // A cursor about 90 % of the way through the sort order.
    const last = await listTeammatesTable({
      actor,
      input: { query: parseTeammatesQuery({ ...params, dir: "desc" }), limit: 200 },
    });
    return last.rows[Math.floor(size / 20) % 200]?.membershipId ?? "";
  };
  const cases: [string, Record<string, string>][] = [
    ["default (role, joined)", {}],
    ["sort=name", { sort: "name" }],
    ["sort=email&dir=desc", { sort: "email", dir: "desc" }],
    ["sort=last-sign-in&dir=desc", { sort: "last-sign-in", dir: "desc" }],
    ["q=perei (part of a name)", { q: "perei" }],
    ["q=walski12 (part of an email)", { q: "walski12" }],
    [
      "q=a&status=not-set-up&type=employee&sort=name&dir=desc",
      { q: "a", status: "not-set-up", type: "employee", sort: "name", dir: "desc" },
    ],
    ["status=not-set-up", { status: "not-set-up" }],
    ["q=pereira&status=enabled&sort=email", { q: "pereira", status: "enabled", sort: "email" }],
    [
      "role=member&type=contractor&status=not-set-up&sort=name",
      { role: "member", type: "contractor", status: "not-set-up", sort: "name" },
    ],
    ["sort=name, deep keyset page", { sort: "name", after: await deep({ sort: "name" }) }],
    ["default, deep keyset page", { after: await deep({}) }],
  ];
  const results: { name: string; medianMs: number; p99Ms: number }[] = [];
  for (const [name, params] of cases) {
    const query = parseTeammatesQuery(params);
    const r = await measure(name, () => listTeammatesTable({ actor, input: { query } }), iterations, { warmup: 3 });
    console.log(formatMeasurement(r));
    results.push({ name, medianMs: r.median, p99Ms: r.p99 });
  }
  const exports: { name: string; ms: number; mb: number }[] = [];
  for (const params of (exportToo ? [{}, { sort: "name" }, { status: "not-set-up", q: "a" }] : []) as Record<
    string,
    string
  >[]) {
    const t0 = performance.now();
    const body = await exportTeammatesCsv({ actor, input: { query: parseTeammatesQuery(params) } });
    const bytes = (await new Response(body).arrayBuffer()).byteLength;
    const ms = performance.now() - t0;
    console.log(`CSV export ${JSON.stringify(params)}: ${ms.toFixed(0)} ms, ${(bytes / 1024 / 1024).toFixed(1)} MB`);
    exports.push({ name: JSON.stringify(params), ms, mb: bytes / 1024 / 1024 });
  }
  // Read by `npm run bench -- sql` (bench/run.ts) for bench/results/SUMMARY.md.
  console.log(`BENCH_JSON ${JSON.stringify({ members: size, iterations, cases: results, exports })}`);
  await db.$disconnect();
} finally {
  if (process.env.KEEP_BENCH_DATABASE) console.log(`kept ${database.url}`);
  else await database.drop();
}
