// The dashboard's at-risk lists keep cheap plans at scale (issue 15 target 7, issue 13 target 4). Not a timed test: on
// an organization of 20,000 members (bench/bulk.ts, in a database of its own so the statistics are this table's), 40 %
// with an authenticator app, 2FA required with a grace period ending in two days and SSO users exempt, the statements
// `atRiskLists` really sends are captured from Prisma's query log and EXPLAINed with their own parameters. Each must be
// costed below the server's `jit_above_cost`: a statement costed above it is compiled with JIT on every request. That
// is what the "deadline near" list did (LEFT JOIN LATERAL … IS NULL: the planner expected one row, costed a walk of
// every member and compiled it: 140–220 ms at 100,000 members for 0.3 ms of work), and this test fails on it. And no
// list reads the organization's users or memberships in full. Speed itself is measured in bench/dashboard.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPlanDatabase, type PlanDatabase, planNodes } from "@/test/plan-database";
import { atRiskLists } from "./at-risk";

const MEMBERS = 20_000;
let plan: PlanDatabase;

beforeAll(async () => {
  plan = await createPlanDatabase("twofold_risk_plan", MEMBERS, "Risk");
  const { sql, organizationId } = plan;
  await sql.query(`INSERT INTO "TotpFactor" ("userId", "secretEnc", "keyVersion", "confirmedAt")
                   SELECT "id", 'v1:plan', 1, now() FROM "User" WHERE abs(hashtext("id")) % 10 < 4`);
  await sql.query(`UPDATE "Membership" SET "twoFactorExemptUntil" = now() + (abs(hashtext("id")) % 20) * interval '1 day'
                   WHERE abs(hashtext('exempt' || "id")) % 50 = 0`);
  await sql.query(
    `INSERT INTO "AuditEvent" ("id", "organizationId", "actorId", "targetId", "type", "metadata", "createdAt")
     SELECT md5('rc' || t."userId"), $1, t."userId", t."userId", '2fa.recovery_code_used',
            jsonb_build_object('purpose', 'sign-in', 'remaining', abs(hashtext(t."userId")) % 8), now() - interval '2 days'
     FROM "TotpFactor" t WHERE abs(hashtext('rc' || t."userId")) % 100 = 0`,
    [organizationId],
  );
  await sql.query("ANALYZE");
}, 400_000);

afterAll(async () => {
  await plan?.close();
});

describe("at-risk lists at 20,000 members", () => {
  it("every statement is costed below jit_above_cost and none reads the organization in full", async () => {
    const now = new Date();
    const org = {
      id: plan.organizationId,
      requireTwoFactor: true,
      enforcementMode: "GRACE",
      graceDeadline: new Date(now.getTime() + 2 * 86_400_000),
      exemptSso: true,
    };
    plan.captured.length = 0;
    const risk = await atRiskLists(plan.client, org, 11_000, now);
    // The lists are real: people without 2FA for the deadline, exemptions ending, recovery sign-ins.
    expect(risk.deadline?.people).toHaveLength(5);
    expect(risk.deadline?.people.every((p) => !p.hasTwoFactor)).toBe(true);
    expect(risk.exemptionsEnding.people.length).toBeGreaterThan(0);
    expect(risk.recoverySignIns.people.length).toBeGreaterThan(0);

    const { rows: jit } = await plan.sql.query("SELECT current_setting('jit_above_cost')::float8 AS cost");
    const jitAboveCost = Number(jit[0].cost);
    const statements = plan.captured.filter((c) => /^\s*SELECT/i.test(c.query) && /"Membership"/.test(c.query));
    expect(statements).toHaveLength(4);
    for (const s of statements) {
      const root = await plan.explain(s);
      const head = s.query.trim().slice(0, 160).replace(/\s+/g, " ");
      expect([head, root["Total Cost"] < jitAboveCost]).toEqual([head, true]);
      const read = planNodes(root)
        .filter((n) => ["Membership", "User"].includes(n["Relation Name"] ?? ""))
        .reduce((a, n) => a + (n["Actual Rows"] ?? 0) * (n["Actual Loops"] ?? 1), 0);
      expect([head, read < MEMBERS / 4]).toEqual([head, true]);
    }
  });
});
