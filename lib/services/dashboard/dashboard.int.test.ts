// The dashboard's services against a real PostgreSQL (issue 15): who may read what (a matrix over roles), the figures
// against the Users table's own filters, the at-risk lists on a fake clock, and the upgrade request (audited, mailed,
// once a day, handled by the operator command).
import { describe, expect, it } from "vitest";
import { addMember, createOrgWithOwner, ctx, PASSWORD, withTwoFactor } from "@/test/factories";
import { db } from "../../db";
import { env } from "../../env";
import { DomainError } from "../../errors";
import { parseTeammatesQuery } from "../../validation/teammates";
import { grantTwoFactorExemption } from "../org-policy/exemptions";
import { completeSignIn } from "../sign-in/complete-sign-in";
import { passwordStep } from "../sign-in/password-step";
import { tableCount } from "../teammates/count";
import { issueRecoveryCodesForTeammate } from "../teammates/issue-teammate-recovery-codes";
import { atRiskLists } from "./at-risk";
import { countAdoption } from "./figures";
import { memberOverview } from "./member-overview";
import { dashboardOverview } from "./overview";
import { setOrganizationPlan } from "./set-plan";
import { pendingUpgradeRequest, requestUpgrade } from "./upgrade-request";

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof DomainError ? e.code : `unexpected: ${String(e)}`),
  );
const DAY = 86_400_000;
const later = (base: Date, days: number) => new Date(base.getTime() + days * DAY);

async function team() {
  const owner = await createOrgWithOwner({ plan: "PROFESSIONAL" });
  const admin = await addMember(owner.actor, { role: "ADMIN", name: "Ada Admin" });
  const member = await addMember(owner.actor, { name: "Max Member" });
  const client = await addMember(owner.actor, { name: "Cleo Client", type: "CLIENT" });
  const sso = await addMember(owner.actor, { name: "Sam Sso", type: "CONTRACTOR" });
  await db.user.update({ where: { id: sso.userId }, data: { signInMethod: "SSO" } });
  const outsider = await createOrgWithOwner();
  return { owner, admin, member, client, sso, outsider };
}

describe("dashboard: who sees what", () => {
  it("matrix over roles: owner and administrators get the figures; members and outsiders never do", {
    timeout: 300_000,
  }, async () => {
    const t = await team();
    const as = (a: { userId: string }) => ({
      userId: a.userId,
      organizationId: t.owner.organizationId,
      sessionId: null,
    });
    const read = (actor: { userId: string; organizationId: string; sessionId: null }) =>
      codeOf(dashboardOverview({ actor, input: { range: "90d" } }));
    expect({
      owner: await read(as(t.owner)),
      admin: await read(as(t.admin)),
      member: await read(as(t.member)),
      client: await read(as(t.client)),
      outsider: await read(as(t.outsider)),
      outsiderOwnOrgAsTarget: await read({
        userId: t.member.userId,
        organizationId: t.outsider.organizationId,
        sessionId: null,
      }),
    }).toEqual({
      owner: "ok",
      admin: "ok",
      member: "FORBIDDEN",
      client: "FORBIDDEN",
      outsider: "FORBIDDEN",
      outsiderOwnOrgAsTarget: "FORBIDDEN",
    });
    // Every role gets its own overview, which carries nothing about other members but the owner's name and email.
    for (const p of [t.owner, t.admin, t.member, t.client]) {
      const o = await memberOverview({ actor: as(p) });
      expect(Object.keys(o).sort()).toEqual(["owner", "role", "sessions", "twoFactor"]);
      expect(o.owner).toEqual({ name: "Owner Person", email: t.owner.email });
      const text = JSON.stringify(o);
      for (const other of [t.admin, t.member, t.client, t.sso].filter((x) => x.userId !== p.userId))
        expect(text).not.toContain(other.email);
    }
    expect(
      await codeOf(
        memberOverview({
          actor: { userId: t.outsider.userId, organizationId: t.owner.organizationId, sessionId: null },
        }),
      ),
    ).toBe("FORBIDDEN");
  });

  it("every figure equals the Users table's count for the same filter", { timeout: 300_000 }, async () => {
    const t = await team();
    await withTwoFactor(t.admin);
    await withTwoFactor(t.client);
    const ownerStepped = await withTwoFactor(t.owner);
    await grantTwoFactorExemption({
      actor: { ...t.owner.actor, sessionId: ownerStepped.sessionId },
      input: { membershipId: t.member.membershipId, days: 5, reason: "new phone" },
      context: ctx,
    });
    const now = new Date();
    const f = (await countAdoption(db, [t.owner.organizationId], now)).get(t.owner.organizationId);
    if (!f) throw new Error("no figures");
    // The Users table counts a small organization exactly (it says "about" only for large filtered views).
    const count = async (params: Record<string, string>) => {
      const c = await tableCount(db, t.owner.organizationId, parseTeammatesQuery(params), now);
      expect(c.exact).toBe(true);
      return c.total;
    };
    expect(f).toMatchObject({ members: 5, enrolled: 3, exemptSso: 1, exemptUntil: 1, notSetUp: 0 });
    expect(f.members).toBe(await count({}));
    expect(f.enrolled).toBe(await count({ status: "enabled" }));
    expect(f.notSetUp).toBe(await count({ status: "not-set-up" }));
    expect(f.exemptSso).toBe(await count({ status: "exempt-sso" }));
    expect(f.exemptUntil).toBe(await count({ status: "exempt-until" }));
    for (const [role, key] of [
      ["owner", "OWNER"],
      ["admin", "ADMIN"],
      ["member", "MEMBER"],
    ] as const)
      for (const status of ["enabled", "not-set-up", "exempt-sso", "exempt-until"] as const) {
        const c = f.byRole[key];
        const want = {
          enabled: c.enrolled,
          "not-set-up": c.notSetUp,
          "exempt-sso": c.exemptSso,
          "exempt-until": c.exemptUntil,
        }[status];
        expect(want, `${role} ${status}`).toBe(await count({ role, status }));
      }
    for (const [type, key] of [
      ["employee", "EMPLOYEE"],
      ["client", "CLIENT"],
      ["contractor", "CONTRACTOR"],
    ] as const)
      expect(f.byType[key].enrolled, type).toBe(await count({ type, status: "enabled" }));
  });
});

describe("dashboard: at risk (fake clock)", () => {
  it("deadline, exemptions ending, few recovery codes and recovery sign-ins come and go with time and actions", {
    timeout: 300_000,
  }, async () => {
    const t = await team();
    const now = new Date();
    const ownerWith = await withTwoFactor(t.owner, now);
    const ownerActor = { ...t.owner.actor, sessionId: ownerWith.sessionId };
    const memberWith = await withTwoFactor(t.member, now);
    const org = t.owner.organizationId;
    // A grace period ending in 5 days (policy fields as the policy service writes them).
    await db.organization.update({
      where: { id: org },
      data: {
        requireTwoFactor: true,
        enforcementMode: "GRACE",
        requiredSince: now,
        graceDays: 5,
        graceDeadline: later(now, 5),
      },
    });
    await grantTwoFactorExemption(
      {
        actor: ownerActor,
        input: { membershipId: t.client.membershipId, days: 10, reason: "travelling" },
        context: ctx,
      },
      { now },
    );
    const policy = await db.organization.findUniqueOrThrow({ where: { id: org } });
    const lists = async (at: Date) => {
      const f = (await countAdoption(db, [org], at)).get(org);
      const r = await atRiskLists(db, policy, f?.notSetUp ?? 0, at);
      const names = (l: { people: { name: string }[] } | null) => (l ? l.people.map((p) => p.name).sort() : null);
      return {
        deadline: names(r.deadline),
        codes: names(r.fewRecoveryCodes),
        exemptions: names(r.exemptionsEnding),
        recovery: names(r.recoverySignIns),
      };
    };
    // Day 0: the deadline is 5 days away (not yet within 3), the exemption ends in 10.
    expect(await lists(now)).toEqual({ deadline: null, codes: [], exemptions: [], recovery: [] });
    // Max signs in with recovery codes seven times: 3 left.
    for (let i = 0; i < 7; i++) {
      const { challengeToken } = await passwordStep(
        { input: { email: t.member.email, password: PASSWORD }, context: ctx },
        { tx: db, now },
      );
      await completeSignIn(
        {
          input: { challengeToken, secondFactor: { method: "recovery", code: memberWith.recoveryCodes[i] as string } },
          context: ctx,
        },
        { now },
      );
    }
    // Day 3: deadline within 3 days (Ada has no 2FA; Sam is exempt through SSO; Cleo exempt until day 10).
    expect(await lists(later(now, 3))).toEqual({
      deadline: ["Ada Admin"],
      codes: ["Max Member"],
      exemptions: ["Cleo Client"],
      recovery: ["Max Member"],
    });
    const d3 = await atRiskLists(db, policy, 1, later(now, 3));
    expect(d3.fewRecoveryCodes.people[0]?.detail).toBe("3 recovery codes left");
    // A new set of codes takes Max off the "few codes" list (the recovery sign-in stays: it happened).
    await issueRecoveryCodesForTeammate(
      { actor: ownerActor, input: { membershipId: t.member.membershipId }, context: ctx },
      { now },
    );
    expect((await lists(later(now, 3))).codes).toEqual([]);
    // Day 11: the deadline has passed, the exemption is over (Cleo is now without 2FA, past the deadline).
    expect(await lists(later(now, 11))).toEqual({
      deadline: ["Ada Admin", "Cleo Client"],
      codes: [],
      exemptions: [],
      recovery: ["Max Member"],
    });
    // Day 31: the recovery sign-ins are more than 30 days old.
    expect((await lists(later(now, 31))).recovery).toEqual([]);
  });
});

describe("dashboard: upgrade request", () => {
  it("recorded, audited and mailed to sales and the owner in one go; once a day; handled by the operator command", {
    timeout: 300_000,
  }, async () => {
    const owner = await createOrgWithOwner({ plan: "FREE" });
    const admin = await addMember(owner.actor, { role: "ADMIN" });
    const member = await addMember(owner.actor);
    const org = owner.organizationId;
    const input = { plan: "PROFESSIONAL" as const, seats: 25, message: "We roll out 2FA in January." };
    const now = new Date();
    expect(await codeOf(requestUpgrade({ actor: member.actor, input, context: ctx }, { now }))).toBe("FORBIDDEN");
    // Two submits at the same moment: exactly one goes through.
    const both = await Promise.all([
      codeOf(requestUpgrade({ actor: owner.actor, input, context: ctx }, { now })),
      codeOf(requestUpgrade({ actor: admin.actor, input, context: ctx }, { now })),
    ]);
    expect(both.sort()).toEqual(["UPGRADE_REQUEST_RECENT", "ok"]);
    expect(await db.upgradeRequest.count({ where: { organizationId: org } })).toBe(1);
    expect(await db.auditEvent.count({ where: { organizationId: org, type: "organization.upgrade_requested" } })).toBe(
      1,
    );
    const mails = await db.outboxMessage.findMany({ where: { template: "upgrade-request", createdAt: { gte: now } } });
    const ours = mails.filter((m) => JSON.stringify(m.payload).includes(input.message));
    expect(ours.map((m) => m.to).sort()).toEqual([env.SALES_EMAIL, owner.email].sort());
    expect(await pendingUpgradeRequest(db, org)).toMatchObject({ plan: "PROFESSIONAL", seats: 25 });
    // The next day's request is accepted again (the first is still pending: the newest is shown).
    expect(await codeOf(requestUpgrade({ actor: owner.actor, input, context: ctx }, { now: later(now, 0.9) }))).toBe(
      "UPGRADE_REQUEST_RECENT",
    );
    expect(
      await codeOf(
        requestUpgrade(
          { actor: owner.actor, input: { ...input, plan: "ENTERPRISE" }, context: ctx },
          { now: later(now, 1.01) },
        ),
      ),
    ).toBe("ok");
    // The operator changes the plan: audited, requests handled; asking for a plan not above the current one fails.
    const slug = (await db.organization.findUniqueOrThrow({ where: { id: org } })).slug;
    const r = await setOrganizationPlan({ input: { slug, plan: "PROFESSIONAL" }, context: ctx });
    expect(r).toEqual({ from: "FREE", to: "PROFESSIONAL", changed: true, requestsHandled: 2 });
    expect(await pendingUpgradeRequest(db, org)).toBeNull();
    expect(await db.auditEvent.count({ where: { organizationId: org, type: "organization.plan_changed" } })).toBe(1);
    expect(await codeOf(requestUpgrade({ actor: owner.actor, input, context: ctx }, { now: later(now, 3) }))).toBe(
      "UPGRADE_PLAN_INVALID",
    );
    expect(await codeOf(setOrganizationPlan({ input: { slug: "no-such-org-x", plan: "FREE" }, context: ctx }))).toBe(
      "NOT_FOUND",
    );
  });
});
