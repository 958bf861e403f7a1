// The organization's 2FA requirement against a real PostgreSQL (issue 4; S24, S25): who may change it, what each
// mode does to sessions and to the gate, grace deadlines on a fake clock, tightening, concurrent toggles, the
// announcement mails, and the email code that forced enrollment needs.

import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { addMember, createOrgWithOwner, ctx, PASSWORD, signIn, withTwoFactor } from "@/test/factories";
import { mailData } from "@/test/mail";
import type { Actor } from "../../auth/actor";
import { totpAt } from "../../crypto/totp";
import { db } from "../../db";
import { DomainError } from "../../errors";
import { renderStoredMail } from "../../mail/render";
import { DAY_MS } from "../../time";
import { confirmTotpEnrollment } from "../two-factor/confirm-enrollment";
import { disableTwoFactor } from "../two-factor/disable";
import { checkEmailCode, sendEnrollmentEmailCode } from "../two-factor/email-codes";
import { startTotpEnrollment } from "../two-factor/enrollment";
import { saveTwoFactorPolicy } from "./change";
import { runPolicyClock } from "./clock";
import { twoFactorGate } from "./gate";
import type { PolicyInput } from "./plan-input";
import { complies, nonCompliantMembers, nonCompliantSql } from "./policy";
import { policyOverview } from "./view";

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof DomainError ? e.code : `unexpected: ${String(e)}`),
  );
const later = (base: Date, ms: number) => new Date(base.getTime() + ms);
const base: Omit<PolicyInput, "expectedVersion"> = {
  requireTwoFactor: true,
  mode: "NOW",
  exemptSso: true,
  allowedMethods: ["TOTP"],
};

/**
 * Org A (Professional): owner with 2FA, admin with 2FA, two members without 2FA (one a contractor), an SSO member, a
 * member with an admin's exemption. Org B: its owner has no 2FA and is also a member of nothing in A. Everyone has a
 * signed-in session; some have two.
 */
async function world(now = new Date()) {
  const owner = await withTwoFactor(await createOrgWithOwner({ plan: "PROFESSIONAL", name: "Acme Policy" }), now);
  const admin = await withTwoFactor(await addMember(owner.actor, { role: "ADMIN", name: "Ada Admin" }), now);
  const tom = await addMember(owner.actor, { name: "Tom Li" });
  const cleo = await addMember(owner.actor, { name: "Cleo Contractor", type: "CONTRACTOR" });
  const sso = await addMember(owner.actor, { name: "Sam Sso" });
  await db.user.update({ where: { id: sso.userId }, data: { signInMethod: "SSO", passwordHash: null } });
  const exempt = await addMember(owner.actor, { name: "Eve Exempt" });
  await db.membership.update({
    where: { id: exempt.membershipId },
    data: { twoFactorExemptUntil: later(now, 3 * DAY_MS) },
  });
  const other = await createOrgWithOwner({ plan: "PROFESSIONAL" });
  const sessions = {
    tom: [await signIn(tom, now), await signIn(tom, now)],
    cleo: [await signIn(cleo, now)],
    exempt: [await signIn(exempt, now)],
    other: [await signIn(other, now)],
    ssoSession: (
      await db.session.create({
        data: { id: `sso-${sso.userId}`, userId: sso.userId, authMethod: "sso", expiresAt: later(now, DAY_MS) },
      })
    ).id,
  };
  return { now, owner, admin, tom, cleo, sso, exempt, other, sessions };
}
type World = Awaited<ReturnType<typeof world>>;

const version = async (organizationId: string) =>
  (await db.organization.findUniqueOrThrow({ where: { id: organizationId } })).policyVersion;
/** The actor with their signed-in session (the one step-up is checked on, S42). */
const sa = (p: { actor: { userId: string; organizationId: string }; sessionId: string }) => ({
  ...p.actor,
  sessionId: p.sessionId,
});
const save = async (w: World, input: Partial<PolicyInput> = {}, now = w.now, actor = sa(w.owner)) =>
  saveTwoFactorPolicy(
    { actor, input: { ...base, expectedVersion: await version(w.owner.organizationId), ...input }, context: ctx },
    { now },
  );
const activeSessions = async (userIds: string[]) =>
  db.session.findMany({ where: { userId: { in: userIds }, revokedAt: null }, select: { id: true } });
const gateOf = (userId: string, sessionCreatedAt: Date, now: Date) =>
  twoFactorGate({ actor: { userId }, input: { session: { createdAt: sessionCreatedAt } } }, { now }).then(
    (g) => g.kind,
  );

describe("organization 2FA requirement", () => {
  it("mode NOW revokes exactly the sessions of members without 2FA, in one statement, and gates them", async () => {
    const w = await world();
    const everyone = [w.owner, w.admin, w.tom, w.cleo, w.sso, w.exempt, w.other].map((p) => p.userId);
    const before = new Set((await activeSessions(everyone)).map((s) => s.id));
    const result = await save(w);
    const after = new Set((await activeSessions(everyone)).map((s) => s.id));
    const revoked = [...before].filter((id) => !after.has(id)).sort();
    expect(revoked).toEqual([...w.sessions.tom, ...w.sessions.cleo].sort());
    expect(result).toMatchObject({ sessionsRevoked: 3, membersWithout2fa: 2, mailsQueued: 6 });
    // Untouched: owner/admin (2FA), SSO (exempt by default), the admin-exempted member, another org's owner.
    for (const id of [
      w.owner.sessionId,
      w.admin.sessionId,
      w.sessions.ssoSession,
      ...w.sessions.exempt,
      ...w.sessions.other,
    ])
      expect(after.has(id)).toBe(true);
    const revokedRows = await db.session.findMany({ where: { id: { in: revoked } } });
    expect(new Set(revokedRows.map((r) => r.revokedAt?.getTime()))).toEqual(new Set([w.now.getTime()]));
    expect(revokedRows.every((r) => r.revokedReason === "organization_requires_2fa")).toBe(true);

    const later1 = later(w.now, 1000);
    expect(await gateOf(w.tom.userId, later1, later1)).toBe("setup-required");
    expect(await gateOf(w.cleo.userId, later1, later1)).toBe("setup-required");
    expect(await gateOf(w.sso.userId, later1, later1)).toBe("clear");
    expect(await gateOf(w.exempt.userId, later1, later1)).toBe("clear");
    expect(await gateOf(w.other.userId, later1, later1)).toBe("clear");
    // The exemption ends by itself: after 3 days the exempted member is gated too.
    expect(await gateOf(w.exempt.userId, later(w.now, 3 * DAY_MS + 1), later(w.now, 3 * DAY_MS + 1))).toBe(
      "setup-required",
    );

    // Announcement: one mail per active member, an enrollment invitation with a setup link for those without 2FA.
    const mails = await db.outboxMessage.findMany({ where: { template: "org-two-factor", createdAt: { gte: w.now } } });
    const kindFor = (email: string) =>
      mails.filter((m) => m.to === email).map((m) => (m.payload as { kind: string }).kind);
    expect(kindFor(w.tom.email)).toEqual(["enrol"]);
    expect(kindFor(w.cleo.email)).toEqual(["enrol"]);
    expect(kindFor(w.owner.email)).toEqual(["required"]);
    expect(kindFor(w.sso.email)).toEqual(["required"]);
    expect(kindFor(w.other.email)).toEqual([]);
    const enrol = mails.find((m) => m.to === w.tom.email)?.payload as { setupUrl?: string; mode?: string };
    expect(enrol.setupUrl).toMatch(/\/profile\/security\/two-factor\/setup$/);
    expect(enrol.mode).toBe("NOW");

    const audit = await db.auditEvent.findFirstOrThrow({
      where: { organizationId: w.owner.organizationId, type: "policy.2fa_required" },
    });
    expect(audit.actorId).toBe(w.owner.userId);
    expect(audit.metadata).toMatchObject({ mode: "NOW", sessionsRevoked: 3, membersWithout2fa: 2 });
  });

  it("NEXT_SIGN_IN keeps existing sessions; the next sign-in is gated; turning SSO exemption off covers SSO users", async () => {
    const w = await world();
    const r = await save(w, { mode: "NEXT_SIGN_IN" }, later(w.now, 1000));
    expect(r.sessionsRevoked).toBe(0);
    expect(await activeSessions([w.tom.userId])).toHaveLength(2);
    const t = later(w.now, 60_000);
    expect(await gateOf(w.tom.userId, w.now, t)).toBe("notice"); // the session from before continues, with a banner
    expect(await gateOf(w.tom.userId, t, t)).toBe("setup-required"); // a new sign-in must set up 2FA
    expect(await gateOf(w.sso.userId, t, t)).toBe("clear");
    await save(w, { mode: "NEXT_SIGN_IN", exemptSso: false }, t);
    expect(await gateOf(w.sso.userId, later(t, 1), later(t, 1))).toBe("setup-required");
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { organizationId: w.owner.organizationId, type: "policy.sso_exemption_changed" },
    });
    expect(audit.metadata).toMatchObject({ exemptSso: false });
  });

  it("grace period: banner until the deadline, reminders 7 and 1 days before (once), then the gate and revocation", async () => {
    const w = await world();
    await save(w, { mode: "GRACE", graceDays: 10 });
    const org = await db.organization.findUniqueOrThrow({ where: { id: w.owner.organizationId } });
    expect(org.graceDeadline?.getTime()).toBe(w.now.getTime() + 10 * DAY_MS);
    expect(await activeSessions([w.tom.userId])).toHaveLength(2);
    const day = (n: number) => later(w.now, n * DAY_MS);
    const scope = { organizationId: w.owner.organizationId };
    expect(await gateOf(w.tom.userId, day(1), day(1))).toBe("notice");

    const reminders = async () =>
      (
        await db.outboxMessage.findMany({
          where: { template: "org-two-factor", to: { in: [w.tom.email, w.cleo.email, w.owner.email] } },
        })
      )
        .map((m) => m.payload as { kind: string; daysLeft?: number })
        .filter((p) => p.kind === "reminder");
    await runPolicyClock({ now: day(2), ...scope }); // 8 days left: nothing due
    expect(await reminders()).toHaveLength(0);
    await runPolicyClock({ now: day(3.5), ...scope }); // 6.5 days left: the 7-day reminder, to the two members without 2FA only
    await runPolicyClock({ now: day(3.6), ...scope }); // run again: not sent twice
    expect((await reminders()).map((r) => r.daysLeft)).toEqual([7, 7]);
    await runPolicyClock({ now: day(9.5), ...scope }); // half a day left: the 1-day reminder
    expect((await reminders()).map((r) => r.daysLeft).sort()).toEqual([1, 1, 7, 7]);
    expect(await activeSessions([w.tom.userId])).toHaveLength(2);

    // The deadline passes: the banner turns into the gate at once, even before the clock job runs…
    expect(await gateOf(w.tom.userId, w.now, day(10))).toBe("setup-required");
    // …and the clock job revokes their sessions, once.
    // (The admin's exemption for Eve ended on day 3, so she is among them.)
    const first = await runPolicyClock({ now: day(10.01), ...scope });
    const second = await runPolicyClock({ now: day(10.02), ...scope });
    expect(first).toMatchObject({ organizationsExpired: 1, sessionsRevoked: 4 });
    expect(second).toMatchObject({ organizationsExpired: 0, sessionsRevoked: 0 });
    expect(await activeSessions([w.tom.userId, w.cleo.userId, w.exempt.userId])).toHaveLength(0);
    expect(await activeSessions([w.owner.userId, w.admin.userId, w.sso.userId])).toHaveLength(3);
  });

  it("tightening applies at once to everyone: a shorter grace moves the deadline, one in the past revokes now", async () => {
    const w = await world();
    await save(w, { mode: "GRACE", graceDays: 30 });
    const t1 = later(w.now, 5 * DAY_MS);
    // 30 → 7 days (from the start of the grace period): 2 days left.
    await save(w, { mode: "GRACE", graceDays: 7 }, t1);
    let org = await db.organization.findUniqueOrThrow({ where: { id: w.owner.organizationId } });
    expect(org.graceDeadline?.getTime()).toBe(w.now.getTime() + 7 * DAY_MS);
    expect(await gateOf(w.tom.userId, t1, t1)).toBe("notice");
    // 7 → 3 days: the deadline is already past, so sessions go now and the gate applies now (Tom ×2, Cleo, and Eve,
    // whose 3-day exemption ended on day 3).
    const r = await save(w, { mode: "GRACE", graceDays: 3 }, t1);
    expect(r.sessionsRevoked).toBe(4);
    expect(await gateOf(w.tom.userId, t1, t1)).toBe("setup-required");
    org = await db.organization.findUniqueOrThrow({ where: { id: w.owner.organizationId } });
    expect(org.graceExpiredAt?.getTime()).toBe(t1.getTime());
    const audits = await db.auditEvent.findMany({
      where: { organizationId: w.owner.organizationId, type: "policy.grace_changed" },
      orderBy: { createdAt: "asc" },
    });
    expect(audits.map((a) => (a.metadata as { graceDays: number }).graceDays)).toEqual([7, 3]);

    // Switching a fresh grace period to NOW revokes at once as well.
    const w2 = await world();
    await save(w2, { mode: "GRACE", graceDays: 14 });
    const r2 = await save(w2, { mode: "NOW" }, later(w2.now, 1000));
    expect(r2.sessionsRevoked).toBe(3);
    const changed = await db.auditEvent.findFirstOrThrow({
      where: { organizationId: w2.owner.organizationId, type: "policy.mode_changed" },
    });
    expect(changed.metadata).toMatchObject({ from: "GRACE", to: "NOW", sessionsRevoked: 3 });
  });

  it("concurrent toggles from the same version: exactly one wins, the state is consistent", async () => {
    const w = await world();
    const v = await version(w.owner.organizationId);
    const attempts = Array.from({ length: 12 }, (_, i) =>
      codeOf(
        saveTwoFactorPolicy(
          {
            actor: i % 2 ? sa(w.admin) : sa(w.owner),
            input: { ...base, mode: i % 3 === 0 ? "NOW" : "NEXT_SIGN_IN", expectedVersion: v },
            context: ctx,
          },
          { now: w.now },
        ),
      ),
    );
    const results = await Promise.all(attempts);
    expect(results.filter((r) => r === "ok")).toHaveLength(1);
    expect(results.filter((r) => r !== "ok").every((r) => r === "POLICY_STALE")).toBe(true);
    const org = await db.organization.findUniqueOrThrow({ where: { id: w.owner.organizationId } });
    expect(org.policyVersion).toBe(v + 1);
    expect(await db.auditEvent.count({ where: { organizationId: org.id, type: "policy.2fa_required" } })).toBe(1);
    expect(
      await db.outboxMessage.count({
        where: { template: "org-two-factor", createdAt: { gte: w.now }, to: w.owner.email },
      }),
    ).toBe(1);

    // On/off alternating from fresh versions, in parallel pairs: every pair has one winner; the end state matches
    // the last winner and the audit trail has one row per winning change.
    for (let i = 0; i < 4; i++) {
      const cur = await version(org.id);
      const on = i % 2 === 1;
      const pair = await Promise.all([
        codeOf(
          saveTwoFactorPolicy(
            { actor: sa(w.owner), input: { ...base, requireTwoFactor: on, expectedVersion: cur }, context: ctx },
            { now: w.now },
          ),
        ),
        codeOf(
          saveTwoFactorPolicy(
            { actor: sa(w.admin), input: { ...base, requireTwoFactor: on, expectedVersion: cur }, context: ctx },
            { now: w.now },
          ),
        ),
      ]);
      expect(pair.sort()).toEqual(["POLICY_STALE", "ok"]);
      const row = await db.organization.findUniqueOrThrow({ where: { id: org.id } });
      expect(row.requireTwoFactor).toBe(on);
      expect(row.enforcementMode).toBe(on ? "NOW" : null);
    }
    const trail = await db.auditEvent.count({
      where: { organizationId: org.id, type: { in: ["policy.2fa_required", "policy.2fa_not_required"] } },
    });
    expect(trail).toBe(5);
  });

  it("403 matrix and bad input: members, other organizations, Free plan, no own 2FA, grace out of range, stale form", async () => {
    const w = await world();
    const snapshot = async () =>
      JSON.stringify({
        org: await db.organization.findUniqueOrThrow({ where: { id: w.owner.organizationId } }),
        sessions: await db.session.count({
          where: {
            revokedAt: null,
            userId: { in: [w.owner, w.admin, w.tom, w.cleo, w.sso, w.exempt].map((p) => p.userId) },
          },
        }),
        audits: await db.auditEvent.count({
          where: { organizationId: w.owner.organizationId, type: { startsWith: "policy." } },
        }),
      });
    const before = await snapshot();
    const v = await version(w.owner.organizationId);
    const as = (actor: Actor, input: Partial<PolicyInput> = {}) =>
      codeOf(
        saveTwoFactorPolicy({ actor, input: { ...base, expectedVersion: v, ...input }, context: ctx }, { now: w.now }),
      );
    const free = await withTwoFactor(await createOrgWithOwner({ plan: "FREE" }));
    const cases: [string, Promise<string>, string][] = [
      ["member", as(w.tom.actor), "FORBIDDEN"],
      ["contractor", as(w.cleo.actor), "FORBIDDEN"],
      [
        "owner of another org, on this org",
        as({ userId: w.other.userId, organizationId: w.owner.organizationId, sessionId: null }),
        "FORBIDDEN",
      ],
      [
        "admin of this org acting with another org's id",
        as({ userId: w.admin.userId, organizationId: w.other.organizationId, sessionId: null }),
        "FORBIDDEN",
      ],
      ["grace 0 days", as(w.owner.actor, { mode: "GRACE", graceDays: 0 }), "VALIDATION"],
      ["grace 31 days", as(w.owner.actor, { mode: "GRACE", graceDays: 31 }), "VALIDATION"],
      ["grace 1.5 days", as(w.owner.actor, { mode: "GRACE", graceDays: 1.5 }), "VALIDATION"],
      ["no method", as(w.owner.actor, { allowedMethods: [] }), "VALIDATION"],
      // SMS is a real method now (issue 12): allowing only SMS while the owner has only the app would lock them out.
      [
        "SMS only, owner has only the app",
        as(w.owner.actor, { allowedMethods: ["SMS"] }),
        "ENFORCE_REQUIRES_OWN_TWO_FACTOR",
      ],
      ["stale form", as(w.owner.actor, { expectedVersion: v + 7 }), "POLICY_STALE"],
    ];
    for (const [name, got, want] of cases) expect(`${name}: ${await got}`).toBe(`${name}: ${want}`);
    expect(await snapshot()).toBe(before);
    expect(
      await codeOf(
        saveTwoFactorPolicy({ actor: sa(free), input: { ...base, expectedVersion: 0 }, context: ctx }, { now: w.now }),
      ),
    ).toBe("PLAN_REQUIRED");
    // Lockout guardrail: an owner without 2FA cannot require it.
    const bare = await createOrgWithOwner({ plan: "ENTERPRISE" });
    expect(
      await codeOf(
        saveTwoFactorPolicy(
          { actor: { ...bare.actor, sessionId: "none" }, input: { ...base, expectedVersion: 0 }, context: ctx },
          { now: w.now },
        ),
      ),
    ).toBe("ENFORCE_REQUIRES_OWN_TWO_FACTOR");
    expect(await codeOf(policyOverview({ actor: w.tom.actor }))).toBe("FORBIDDEN");
  });

  it("impact preview numbers are live; nobody turns off their own 2FA while required; turning off emails everyone", async () => {
    const w = await world();
    const overview = await policyOverview({ actor: w.owner.actor }, { now: w.now });
    expect(overview).toMatchObject({ totalMembers: 6, membersWithout2fa: 2, ssoUsers: 1 });
    expect(overview.withoutList.map((m) => [m.name, m.type])).toEqual([
      ["Cleo Contractor", "CONTRACTOR"],
      ["Tom Li", "EMPLOYEE"],
    ]);
    expect(overview.actor).toMatchObject({ hasTwoFactor: true, recoveryCodesLeft: 10, onlyAdminWithTwoFactor: false });

    await save(w);
    const refused = await disableTwoFactor({
      actor: { userId: w.admin.userId, sessionId: w.admin.sessionId, organizationId: null },
      input: { password: PASSWORD, method: "totp", code: totpAt(w.admin.secret, { time: Date.now() }) },
      context: ctx,
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe("POLICY_REQUIRES_TWO_FACTOR");
    expect((refused as DomainError).message).toContain("Acme Policy requires it");
    expect((refused as DomainError).message).toContain(w.owner.email);
    expect(await db.totpFactor.count({ where: { userId: w.admin.userId } })).toBe(1);

    const t = later(w.now, 1000);
    const off = await save(w, { requireTwoFactor: false }, t);
    expect(off.mailsQueued).toBe(6);
    const offMails = await db.outboxMessage.findMany({
      where: { template: "org-two-factor", payload: { path: ["kind"], equals: "not-required" } },
      select: { to: true },
    });
    const members = [w.owner, w.admin, w.tom, w.cleo, w.sso, w.exempt].map((p) => p.email);
    expect(
      offMails
        .map((m) => m.to)
        .filter((to) => members.includes(to))
        .sort(),
    ).toEqual([...members].sort());
    expect(await db.totpFactor.count({ where: { userId: { in: [w.owner.userId, w.admin.userId] } } })).toBe(2);
    expect(await gateOf(w.tom.userId, t, t)).toBe("clear");
  });
});

describe("the compliance rule", () => {
  it("the SQL form (impact, revocation, mails) and the in-memory form (the gate) agree for every member and option", async () => {
    const w = await world();
    const members = await db.membership.findMany({
      where: { organizationId: w.owner.organizationId, status: "ACTIVE" },
      select: {
        id: true,
        twoFactorExemptUntil: true,
        user: { select: { name: true, signInMethod: true, totpFactor: { select: { userId: true } } } },
      },
    });
    expect(members).toHaveLength(6);
    for (const exemptSso of [true, false]) {
      for (const at of [w.now, later(w.now, 4 * DAY_MS)]) {
        const org = { id: w.owner.organizationId, exemptSso, allowedMethods: ["TOTP" as const] };
        const sql = new Set(
          (await db.membership.findMany({ where: nonCompliantMembers(org, at), select: { id: true } })).map(
            (m) => m.id,
          ),
        );
        const verdicts = members.map((m) => {
          const ok = complies(
            org,
            {
              twoFactorExemptUntil: m.twoFactorExemptUntil,
              signInMethod: m.user.signInMethod,
              hasTotp: Boolean(m.user.totpFactor),
            },
            at,
          );
          return `${m.user.name}: ${ok ? "complies" : "does not"} / ${sql.has(m.id) ? "does not" : "complies"}`;
        });
        for (const v of verdicts) expect(v.split(": ")[1]?.split(" / ")[0]).toBe(v.split(" / ")[1]);
        // The raw SQL form (the announcement's INSERT … SELECT) picks the same memberships.
        const raw = await db.$queryRaw<{ id: string }[]>`
          SELECT m."id" FROM "Membership" m JOIN "User" u ON u."id" = m."userId"
          WHERE m."organizationId" = ${org.id} AND m."status" = 'ACTIVE' AND ${nonCompliantSql(org, at)}`;
        expect(raw.map((r) => r.id).sort()).toEqual([...sql].sort());
        // And the expected people: with the SSO exemption off, Sam; after 4 days, Eve (her exemption ended).
        const expected = [
          "Tom Li",
          "Cleo Contractor",
          ...(exemptSso ? [] : ["Sam Sso"]),
          ...(at === w.now ? [] : ["Eve Exempt"]),
        ];
        expect(
          members
            .filter((m) => sql.has(m.id))
            .map((m) => m.user.name)
            .sort(),
        ).toEqual(expected.sort());
      }
    }
  });
});

describe("forced enrollment needs a code sent to the member's email (attacker-enrols-first guard)", () => {
  it("password + app code alone are refused; the emailed code works once; wrong codes count; resends are limited", async () => {
    const w = await world();
    await save(w);
    const now = later(w.now, 1000);
    const sessionId = await signIn(w.tom, now); // a new sign-in: gated, only setup is open
    const actor = { userId: w.tom.userId, sessionId, organizationId: null };
    const enrollment = await startTotpEnrollment({ actor, context: ctx }, { now });
    const secret = new URL(enrollment.otpauthUri).searchParams.get("secret") ?? "";
    const confirm = (emailCode?: string) =>
      codeOf(
        confirmTotpEnrollment(
          {
            actor,
            input: { password: PASSWORD, code: totpAt(secret, { time: now.getTime() }), emailCode },
            context: ctx,
          },
          { now },
        ),
      );

    expect(await confirm()).toBe("EMAIL_CODE_REQUIRED");
    expect(await confirm("123456")).toBe("EMAIL_CODE_INVALID"); // none sent yet
    await sendEnrollmentEmailCode({ actor: w.tom, context: ctx }, { now });
    expect(await codeOf(sendEnrollmentEmailCode({ actor: w.tom, context: ctx }, { now: later(now, 30_000) }))).toBe(
      "EMAIL_CODE_RATE_LIMITED",
    );
    const mail = await db.outboxMessage.findFirstOrThrow({
      where: { to: w.tom.email, template: "email-code" },
      orderBy: { createdAt: "desc" },
    });
    const code = mailData<{ code: string }>(mail).code;
    expect(code).toMatch(/^\d{6}$/);
    const stored = await db.emailCode.findFirstOrThrow({ where: { userId: w.tom.userId } });
    expect(stored.codeHash).not.toContain(code); // only a hash is stored
    const wrong = code === "000000" ? "111111" : "000000";
    expect(await confirm(wrong)).toBe("EMAIL_CODE_INVALID");
    expect((await db.emailCode.findFirstOrThrow({ where: { id: stored.id } })).attempts).toBe(1);
    expect(await db.totpFactor.count({ where: { userId: w.tom.userId } })).toBe(0);

    expect(await confirm(code)).toBe("ok");
    expect(await db.totpFactor.count({ where: { userId: w.tom.userId } })).toBe(1);
    expect((await db.emailCode.findFirstOrThrow({ where: { id: stored.id } })).consumedAt).not.toBeNull();
    expect(await codeOf(checkEmailCode(w.tom.userId, code, now))).toBe("EMAIL_CODE_INVALID"); // single use
    expect(await gateOf(w.tom.userId, now, later(now, 1))).toBe("clear");
  });

  it("five wrong codes burn the code: even the right one is refused afterwards", async () => {
    const w = await world();
    await save(w);
    await sendEnrollmentEmailCode({ actor: w.cleo, context: ctx }, { now: w.now });
    const mail = await db.outboxMessage.findFirstOrThrow({ where: { to: w.cleo.email, template: "email-code" } });
    const code = mailData<{ code: string }>(mail).code;
    const wrong = code === "999999" ? "888888" : "999999";
    for (let i = 0; i < 5; i++)
      expect(await codeOf(checkEmailCode(w.cleo.userId, wrong, w.now))).toBe("EMAIL_CODE_INVALID");
    expect(await codeOf(checkEmailCode(w.cleo.userId, code, w.now))).toBe("EMAIL_CODE_INVALID");
  });
});

describe("the announcement (issue 13, target 6: built by the database in one statement)", () => {
  /** Records every INSERT statement into the outbox with the recipients it wrote, while `fn` runs. */
  async function outboxStatements(fn: () => Promise<unknown>): Promise<string[][]> {
    const tag = `t${randomUUID().replaceAll("-", "").slice(0, 12)}`;
    await db.$executeRawUnsafe(`CREATE TABLE "${tag}" (n serial, recipients text[])`);
    await db.$executeRawUnsafe(`CREATE FUNCTION "${tag}"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO "${tag}" (recipients) SELECT array_agg("to") FROM new_rows; RETURN NULL; END $$`);
    await db.$executeRawUnsafe(`CREATE TRIGGER "${tag}" AFTER INSERT ON "OutboxMessage"
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "${tag}"()`);
    try {
      await fn();
      const rows = await db.$queryRawUnsafe<{ recipients: string[] | null }[]>(
        `SELECT recipients FROM "${tag}" ORDER BY n`,
      );
      return rows.map((r) => r.recipients ?? []);
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER "${tag}" ON "OutboxMessage"`);
      await db.$executeRawUnsafe(`DROP FUNCTION "${tag}"()`);
      await db.$executeRawUnsafe(`DROP TABLE "${tag}"`);
    }
  }

  it("turning it on queues one mail per active member, in one INSERT, each with its member's exact content", async () => {
    const w = await world();
    // A member whose only factor is a phone: with SMS not allowed, they do not comply (an "enrol" mail). A removed
    // member gets nothing.
    const phoneOnly = await addMember(w.owner.actor, { name: "Pia Phone" });
    await db.phoneFactor.create({ data: { userId: phoneOnly.userId, phoneE164: "+447400123456", country: "GB" } });
    const gone = await addMember(w.owner.actor, { name: "Rex Removed" });
    await db.membership.update({ where: { id: gone.membershipId }, data: { status: "REMOVED" } });
    const deadline = later(w.now, 14 * DAY_MS);
    let result: Awaited<ReturnType<typeof save>> | undefined;
    const statements = await outboxStatements(async () => {
      result = await save(w, { mode: "GRACE", graceDays: 14 });
    });
    const members = [w.owner, w.admin, w.tom, w.cleo, w.sso, w.exempt, phoneOnly];
    const emails = members.map((p) => p.email);
    const ours = statements.filter((r) => r.some((to) => [...emails, gone.email].includes(to)));
    expect(ours).toHaveLength(1);
    expect([...(ours[0] ?? [])].sort()).toEqual([...emails].sort());
    expect(result).toMatchObject({ mailsQueued: 7, membersWithout2fa: 3, sessionsRevoked: 0 });

    const rows = await db.outboxMessage.findMany({ where: { to: { in: [...emails, gone.email] } } });
    const announced = rows.filter((r) => r.template === "org-two-factor");
    expect(announced).toHaveLength(7);
    const setupUrl = announced.map((r) => mailData<{ setupUrl?: string }>(r).setupUrl).find(Boolean);
    expect(setupUrl).toMatch(/^https?:\/\/.+\/profile\/security\/two-factor\/setup$/);
    const common = {
      organizationName: "Acme Policy",
      adminName: "Owner Person",
      mode: "GRACE",
      deadline: deadline.toISOString(),
    };
    const expected = new Map<string, Record<string, unknown>>([
      [w.owner.email, { ...common, kind: "required", name: "Owner Person" }],
      [w.admin.email, { ...common, kind: "required", name: "Ada Admin" }],
      [w.tom.email, { ...common, kind: "enrol", name: "Tom Li", setupUrl }],
      [w.cleo.email, { ...common, kind: "enrol", name: "Cleo Contractor", setupUrl }],
      [w.sso.email, { ...common, kind: "required", name: "Sam Sso" }],
      [w.exempt.email, { ...common, kind: "required", name: "Eve Exempt" }],
      [phoneOnly.email, { ...common, kind: "enrol", name: "Pia Phone", setupUrl }],
    ]);
    for (const r of announced) {
      expect([r.to, mailData(r)]).toEqual([r.to, expected.get(r.to)]);
      expect(r).toMatchObject({ kind: "EMAIL", status: "PENDING", attempts: 0, batchKey: null });
      expect(r.id).toMatch(/^ob[0-9a-f]{32}$/);
      expect(Math.abs(r.nextAttemptAt.getTime() - Date.now())).toBeLessThan(60_000);
    }
    expect(new Set(announced.map((r) => r.id)).size).toBe(7);
    // Every mail renders (the worker's path: the stored data is the template's data).
    for (const r of announced) {
      const rendered = await renderStoredMail(r.template, mailData(r));
      expect(rendered.text).toContain(String(expected.get(r.to)?.name));
    }
  });

  it("SSO stops exempting: its members without 2FA get their own mail; the others without 2FA the 'changed' one", async () => {
    const w = await world();
    await save(w, { mode: "GRACE", graceDays: 14 });
    const t = later(w.now, 60_000);
    const since = new Date();
    // A shorter grace period ("changed" for those without 2FA) and SSO no longer exempt, in one save.
    const r = await save(w, { mode: "GRACE", graceDays: 10, exemptSso: false }, t);
    const mails = await db.outboxMessage.findMany({
      where: { template: "org-two-factor", createdAt: { gte: since } },
    });
    const emails = [w.owner, w.admin, w.tom, w.cleo, w.sso, w.exempt].map((p) => p.email);
    const kinds = Object.fromEntries(
      mails.filter((m) => emails.includes(m.to)).map((m) => [m.to, mailData<{ kind: string }>(m).kind]),
    );
    expect(kinds).toEqual({
      [w.tom.email]: "changed",
      [w.cleo.email]: "changed",
      [w.sso.email]: "sso-exemption-removed",
    });
    expect(r.mailsQueued).toBe(3);
    expect(mailData<{ setupUrl?: string }>(mails.find((m) => m.to === w.sso.email)).setupUrl).toMatch(/setup$/);
  });
});
