// The Users table's SQL keeps its indexes (issue 13, target 3). Not a timed test: on an organization of 20,000 members

// (bench/bulk.ts, in a database of its own so the statistics are this table's), the statements `listTeammatesTable`
// really sends are captured from Prisma's query log and EXPLAINed with their own parameters; the default view, the
// name sort and the searches must read Membership and User through indexes, never a sequential scan, and the count
// must never read the whole organization. Speed itself is measured in bench/ (`npm run bench -- sql`).
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPlanDatabase, type PlanDatabase, type PlanNode, planNodes } from "@/test/plan-database";
import type { Actor } from "../../auth/actor";
import { parseTeammatesQuery } from "../../validation/teammates";
import { COUNT_SAMPLE } from "./count";
import { listTeammatesTable } from "./table";

const MEMBERS = 20_000;
const nodes = planNodes;

let plan: PlanDatabase;
let client: PlanDatabase["client"];
let sql: pg.Client;
let actor: Actor;
let captured: PlanDatabase["captured"];

beforeAll(async () => {
  plan = await createPlanDatabase("twofold_plan", MEMBERS, "Plan");
  ({ client, sql, captured } = plan);
  actor = { userId: plan.ownerId, organizationId: plan.organizationId, sessionId: null };
  // A few authenticator apps, so the 2FA filters have something to find; then fresh statistics.
  await sql.query(`INSERT INTO "TotpFactor" ("userId", "secretEnc", "keyVersion")
                   SELECT "id", 'v1:plan', 1 FROM "User" WHERE abs(hashtext("id")) % 10 < 4`);
  await sql.query("ANALYZE");
}, 400_000);

afterAll(async () => {
  await plan?.close();
});

/** Runs the table for `params` and EXPLAINs (ANALYZE) every statement it sent that reads Membership or User. */
async function plansOf(params: Record<string, string>) {
  captured.length = 0;
  const page = await listTeammatesTable({ actor, input: { query: parseTeammatesQuery(params) } }, { tx: client });
  const statements = captured.filter((c) => /"Membership"|"User"/.test(c.query) && /^\s*(WITH|SELECT)/i.test(c.query));
  const plans: PlanNode[] = [];
  for (const s of statements) plans.push(await plan.explain(s));
  return { page, plans, all: plans.flatMap(nodes) };
}

const seqScans = (all: PlanNode[]) =>
  all.filter((n) => n["Node Type"] === "Seq Scan" && ["Membership", "User"].includes(n["Relation Name"] ?? ""));
const indexes = (all: PlanNode[]) => new Set(all.map((n) => n["Index Name"]).filter(Boolean));
/** The most rows any node reading Membership or User produced: a bound on what a request reads of them. */
const widest = (all: PlanNode[]) =>
  Math.max(
    0,
    ...all
      .filter((n) => ["Membership", "User"].includes(n["Relation Name"] ?? ""))
      .map((n) => (n["Actual Rows"] ?? 0) * ((n as { "Actual Loops"?: number })["Actual Loops"] ?? 1)),
  );

describe("Users table query plans at 20,000 members", () => {
  it("default view: the (role, joined) index, no sequential scan, the count from the organization row", async () => {
    const { page, all } = await plansOf({});
    expect(page.rows).toHaveLength(50);
    expect(page.total).toBe(MEMBERS);
    expect(page.totalExact).toBe(true);
    expect(seqScans(all)).toEqual([]);
    expect(indexes(all)).toContain("Membership_organizationId_status_role_createdAt_id_idx");
    expect(widest(all)).toBeLessThan(1_000);
  });

  it("name, email and last sign-in sorts walk their Membership indexes, both directions, no User walk", async () => {
    for (const [params, index] of [
      [{ sort: "name" }, "Membership_org_status_lower_name_id_idx"],
      [{ sort: "name", dir: "desc" }, "Membership_org_status_lower_name_id_idx"],
      [{ sort: "email" }, "Membership_org_status_lower_email_id_idx"],
      [{ sort: "email", dir: "desc" }, "Membership_org_status_lower_email_id_idx"],
      [{ sort: "last-sign-in", dir: "desc" }, "Membership_org_status_last_sign_in_id_idx"],
      [{ sort: "joined", dir: "desc" }, "Membership_organizationId_status_createdAt_id_idx"],
    ] as const) {
      const { all } = await plansOf(params);
      expect([params, seqScans(all)]).toEqual([params, []]);
      expect([params, indexes(all).has(index)]).toEqual([params, true]);
      expect(widest(all)).toBeLessThan(1_000);
      // The order is read from Membership alone: no index on User walks the sort (only the page's 51 users are read).
      expect([params, [...indexes(all)].filter((i) => /^User_/.test(String(i)) && i !== "User_pkey")]).toEqual([
        params,
        [],
      ]);
    }
  });

  it("a common search walks the order's index and reads no user until the page is cut; no authenticator hash", async () => {
    const views: Record<string, string>[] = [
      { q: "perei" },
      { q: "perei", sort: "name" },
      { status: "not-set-up" },
      { q: "a", status: "not-set-up", type: "employee", sort: "name", dir: "desc" },
      { q: "perei", status: "enabled", sort: "email" },
    ];
    for (const params of views) {
      const { all } = await plansOf(params);
      expect([params, seqScans(all)]).toEqual([params, []]);
      // No full pass over the authenticators (NOT (EXISTS … OR EXISTS …) is planned as a hash of all of them).
      expect([params, all.filter((n) => n["Node Type"] === "Seq Scan" && n["Relation Name"] === "TotpFactor")]).toEqual(
        [params, []],
      );
      // A search reads the members' copies of name and email, not the users.
      const usersRead = all
        .filter((n) => n["Relation Name"] === "User")
        .reduce((a, n) => a + (n["Actual Rows"] ?? 0) * ((n as { "Actual Loops"?: number })["Actual Loops"] ?? 1), 0);
      // Bound: the page (51), the sample (COUNT_SAMPLE) and, for a filter on the sign-in method, the memberships the
      // walk passes over to fill the page (a few hundred here), never the organization.
      expect([params, usersRead <= 51 + COUNT_SAMPLE + 200]).toEqual([params, true]);
    }
  });

  it("the members' copies of name, email and last sign-in follow the user (triggers), and the sorts with them", async () => {
    const { rows } = await sql.query(
      `SELECT m."userId" FROM "Membership" m WHERE m."organizationId" = $1 AND m."role" = 'MEMBER' LIMIT 1`,
      [actor.organizationId],
    );
    const userId = rows[0].userId as string;
    await sql.query(
      `UPDATE "User" SET "name" = 'Aaaaa Zz Trigger', "email" = 'zzzz-trigger@plan.test',
                     "lastSignInAt" = '2999-01-01' WHERE "id" = $1`,
      [userId],
    );
    const byName = await listTeammatesTable(
      { actor, input: { query: parseTeammatesQuery({ sort: "name" }) } },
      { tx: client },
    );
    expect(byName.rows[0]).toMatchObject({ userId, name: "Aaaaa Zz Trigger" });
    const byEmail = await listTeammatesTable(
      { actor, input: { query: parseTeammatesQuery({ sort: "email", dir: "desc" }) } },
      { tx: client },
    );
    expect(byEmail.rows[0]?.userId).toBe(userId);
    const bySignIn = await listTeammatesTable(
      { actor, input: { query: parseTeammatesQuery({ sort: "last-sign-in", dir: "desc" }) } },
      { tx: client },
    );
    expect(bySignIn.rows[0]?.userId).toBe(userId);
    const found = await listTeammatesTable(
      { actor, input: { query: parseTeammatesQuery({ q: "zz trigg" }) } },
      { tx: client },
    );
    expect(found.rows.map((r) => r.userId)).toEqual([userId]);
    // A copy written directly is put back (the copies follow the user only).
    await sql.query(`UPDATE "Membership" SET "userName" = 'forged' WHERE "userId" = $1`, [userId]);
    const copy = await sql.query(`SELECT "userName", "userEmail" FROM "Membership" WHERE "userId" = $1`, [userId]);
    expect(copy.rows[0]).toEqual({ userName: "Aaaaa Zz Trigger", userEmail: "zzzz-trigger@plan.test" });
  });

  it("search by part of a name or an email: no sequential scan; a rare match is counted exactly", async () => {
    const { rows } = await sql.query(
      `SELECT "email" FROM "User" WHERE "email" LIKE 'mia.kowalski%' ORDER BY "email" LIMIT 1`,
    );
    const q = (rows[0].email as string).split("@")[0]?.slice(2) ?? ""; // e.g. "a.kowalski493": part of one email
    const { page, all } = await plansOf({ q });
    expect(seqScans(all)).toEqual([]);
    expect(page.totalExact).toBe(true);
    const expected = await sql.query(
      `SELECT count(*)::int AS n FROM "User" u JOIN "Membership" m ON m."userId" = u."id"
       WHERE m."organizationId" = $1 AND (u."name" ILIKE $2 OR u."email" ILIKE $2)`,
      [actor.organizationId, `%${q}%`],
    );
    expect(expected.rows[0].n).toBeGreaterThan(0);
    expect(page.total).toBe(expected.rows[0].n);
    expect(page.rows.map((r) => r.email).every((e) => e.includes(q))).toBe(true);

    const byName = await plansOf({ q: "perei", sort: "name" });
    expect(seqScans(byName.all)).toEqual([]);
    expect(byName.page.rows.every((r) => /perei/i.test(`${r.name} ${r.email}`))).toBe(true);
  });

  it("a filter matching many is estimated ('about') from a bounded sample", async () => {
    const { page, all } = await plansOf({ q: "a", status: "not-set-up", type: "employee", sort: "name", dir: "desc" });
    expect(seqScans(all)).toEqual([]);
    expect(page.totalExact).toBe(false);
    const exact = await sql.query(
      `SELECT count(*)::int AS n FROM "User" u JOIN "Membership" m ON m."userId" = u."id"
       WHERE m."organizationId" = $1 AND m."type" = 'EMPLOYEE' AND u."signInMethod" = 'PASSWORD'
         AND (u."name" ILIKE '%a%' OR u."email" ILIKE '%a%')
         AND NOT EXISTS (SELECT 1 FROM "TotpFactor" t WHERE t."userId" = u."id")`,
      [actor.organizationId],
    );
    // An estimate, within a fifth of the truth (a sample of 1,000 members), never reading more than the sample.
    expect(Math.abs(page.total - exact.rows[0].n) / exact.rows[0].n).toBeLessThan(0.2);
    expect(widest(all)).toBeLessThanOrEqual(COUNT_SAMPLE);
  });

  it("the member count follows membership inserts, status changes and deletes (statement-level trigger)", async () => {
    const count = async (organizationId: string | null) =>
      (await sql.query(`SELECT "activeMemberCount" AS n FROM "Organization" WHERE "id" = $1`, [organizationId])).rows[0]
        ?.n;
    expect(await count(actor.organizationId)).toBe(MEMBERS);
    const some = await sql.query(
      `SELECT "id" FROM "Membership" WHERE "organizationId" = $1 AND "role" = 'MEMBER' LIMIT 3`,
      [actor.organizationId],
    );
    const ids = some.rows.map((r) => r.id);
    await sql.query(`UPDATE "Membership" SET "status" = 'REMOVED' WHERE "id" = ANY($1)`, [ids]);
    expect(await count(actor.organizationId)).toBe(MEMBERS - 3);
    await sql.query(`UPDATE "Membership" SET "role" = 'ADMIN' WHERE "id" = ANY($1)`, [ids]); // no status change
    expect(await count(actor.organizationId)).toBe(MEMBERS - 3);
    await sql.query(`UPDATE "Membership" SET "status" = 'ACTIVE' WHERE "id" = $1`, [ids[0]]);
    expect(await count(actor.organizationId)).toBe(MEMBERS - 2);
    await sql.query(`DELETE FROM "Membership" WHERE "id" = $1`, [ids[0]]);
    await sql.query(`DELETE FROM "Membership" WHERE "id" = $1`, [ids[1]]); // REMOVED: no change
    expect(await count(actor.organizationId)).toBe(MEMBERS - 3);
  });
});
