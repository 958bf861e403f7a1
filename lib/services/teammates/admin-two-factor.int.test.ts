// Admin actions on a teammate's 2FA against a real PostgreSQL: who may act on whom (S25), step-up (S26), no secret
// or code ever reaches the admin (S27), and what a reset does to the teammate (S28).

import { describe, expect, it } from "vitest";
import { addMember, createOrgWithOwner, ctx, PASSWORD, withTwoFactor } from "@/test/factories";
import { mailData } from "@/test/mail";
import type { Actor } from "../../auth/actor";
import { hashToken } from "../../crypto/tokens";
import { totpAt } from "../../crypto/totp";
import { db } from "../../db";
import { env } from "../../env";
import { DomainError } from "../../errors";
import { createSession } from "../sessions/create-session";
import { startTotpEnrollment } from "../two-factor/enrollment";
import { secondFactorKey } from "../two-factor/lock-policy";
import { redeemReEnrollmentToken } from "../two-factor/re-enrollment";
import { stepUp } from "../two-factor/step-up";
import { verifySecondFactor } from "../two-factor/verification";
import { issueRecoveryCodesForTeammate } from "./issue-teammate-recovery-codes";
import { resetTeammateTwoFactor } from "./reset-teammate-two-factor";

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof DomainError ? e.code : `unexpected: ${String(e)}`),
  );
const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);
const codeAt = (secret: string, time: Date) => totpAt(secret, { time: time.getTime() });
const MINUTE = 60;
const HOUR = 3600;

/** Org A (owner, admin, member, a member without 2FA, a removed member, org B's owner as a member) and org B. */
async function world() {
  const t0 = new Date();
  const ownerBase = await createOrgWithOwner();
  const orgA = ownerBase.organizationId;
  const owner = await withTwoFactor(ownerBase, t0);
  const admin = await withTwoFactor(await addMember(ownerBase.actor, { role: "ADMIN", name: "Ada Admin" }), t0);
  const member = await withTwoFactor(await addMember(ownerBase.actor, { name: "Max Member" }), t0);
  const member2 = await withTwoFactor(await addMember(ownerBase.actor, { name: "Mia Member" }), t0);
  const noFactor = await addMember(ownerBase.actor, { name: "Nora NoFactor" });
  const removed = await withTwoFactor(await addMember(ownerBase.actor, { name: "Rex Removed" }), t0);
  await db.membership.update({ where: { id: removed.membershipId }, data: { status: "REMOVED" } });
  const otherBase = await createOrgWithOwner();
  const otherOwner = await withTwoFactor(otherBase, t0);
  const otherAdmin = await withTwoFactor(await addMember(otherBase.actor, { role: "ADMIN" }), t0);
  const otherMember = await withTwoFactor(await addMember(otherBase.actor), t0);
  // The owner of org B is an ordinary member of org A.
  const ownerOfBInA = await addMember(ownerBase.actor, { email: otherBase.email });
  const ownerMembershipId = (await db.membership.findFirstOrThrow({ where: { organizationId: orgA, role: "OWNER" } }))
    .id;
  const asActor = (p: { userId: string; sessionId: string }, organizationId = orgA): Actor => ({
    userId: p.userId,
    organizationId,
    sessionId: p.sessionId,
  });
  const people = [owner, admin, member, member2, noFactor, removed, otherOwner, otherAdmin, otherMember];
  return {
    t0,
    now: at(t0, MINUTE), // every session above passed its second factor at t0
    orgA,
    orgB: otherBase.organizationId,
    owner: { ...owner, membershipId: ownerMembershipId, admin: asActor(owner) },
    admin: { ...admin, admin: asActor(admin) },
    member: { ...member, admin: asActor(member) },
    member2,
    noFactor,
    removed,
    otherOwner,
    ownerOfBInA,
    otherAdmin: { ...otherAdmin, admin: asActor(otherAdmin, otherBase.organizationId) },
    otherMember,
    people,
  };
}
type World = Awaited<ReturnType<typeof world>>;

/** Everything an admin action could change for the people of a world, as one comparable string. */
async function snapshot(w: World): Promise<string> {
  const userIds = w.people.map((p) => p.userId);
  const emails = w.people.map((p) => p.email);
  const inUsers = { userId: { in: userIds } };
  const rows = await Promise.all([
    db.totpFactor.findMany({ where: inUsers, orderBy: { userId: "asc" } }),
    db.totpEnrollment.findMany({ where: inUsers, orderBy: { userId: "asc" } }),
    db.recoveryCode.findMany({ where: inUsers, orderBy: { id: "asc" } }),
    db.session.findMany({ where: inUsers, orderBy: { id: "asc" } }),
    db.rateLimit.findMany({ where: { key: { in: userIds.map(secondFactorKey) } }, orderBy: { key: "asc" } }),
    db.reEnrollmentToken.findMany({ where: inUsers, orderBy: { id: "asc" } }),
    db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, sessionVersion: true } }),
    db.auditEvent.count({
      where: {
        OR: [{ organizationId: { in: [w.orgA, w.orgB] } }, { actorId: { in: userIds } }, { targetId: { in: userIds } }],
      },
    }),
    db.outboxMessage.count({ where: { to: { in: emails } } }),
  ]);
  return JSON.stringify(rows);
}

const actions = { reset: resetTeammateTwoFactor, issue: issueRecoveryCodesForTeammate } as const;

describe.each(["reset", "issue"] as const)("%s: who may act on whom (S25)", (name) => {
  const act = actions[name];

  it("refuses every pair outside the matrix and changes nothing; owner→admin and admin→member succeed", async () => {
    const w = await world();
    const { now } = w;
    const cases: [string, Actor, string, string][] = [
      ["admin → owner", w.admin.admin, w.owner.membershipId, "OWNER_PROTECTED"],
      ["admin → a member who owns another organization", w.admin.admin, w.ownerOfBInA.membershipId, "OWNER_PROTECTED"],
      ["member → member", w.member.admin, w.member2.membershipId, "FORBIDDEN"],
      ["member → admin", w.member.admin, w.admin.membershipId, "FORBIDDEN"],
      ["member → owner", w.member.admin, w.owner.membershipId, "FORBIDDEN"],
      ["member → themself", w.member.admin, w.member.membershipId, "FORBIDDEN"],
      ["admin of org B → member of org A", w.otherAdmin.admin, w.member.membershipId, "NOT_FOUND"],
      [
        "admin of org B claims org A",
        { ...w.otherAdmin.admin, organizationId: w.orgA },
        w.member.membershipId,
        "FORBIDDEN",
      ],
      ["admin → themself", w.admin.admin, w.admin.membershipId, "NOT_ON_YOURSELF"],
      ["owner → themself", w.owner.admin, w.owner.membershipId, "NOT_ON_YOURSELF"],
      ["admin → removed membership", w.admin.admin, w.removed.membershipId, "NOT_FOUND"],
      ["admin → nonexistent membership", w.admin.admin, "no-such-membership", "NOT_FOUND"],
    ];
    const before = await snapshot(w);
    for (const [label, actor, membershipId, expected] of cases) {
      expect([label, await codeOf(act({ actor, input: { membershipId }, context: ctx }, { now }))]).toEqual([
        label,
        expected,
      ]);
    }
    expect(await snapshot(w)).toBe(before);

    expect(
      await codeOf(
        act({ actor: w.admin.admin, input: { membershipId: w.member.membershipId }, context: ctx }, { now }),
      ),
    ).toBe("ok");
    expect(
      await codeOf(act({ actor: w.owner.admin, input: { membershipId: w.admin.membershipId }, context: ctx }, { now })),
    ).toBe("ok");
    const type = name === "reset" ? "2fa.admin_reset" : "2fa.recovery_codes_issued";
    const audits = await db.auditEvent.findMany({
      where: { type, organizationId: w.orgA },
      orderBy: { createdAt: "asc" },
    });
    expect(audits.map((a) => [a.actorId, a.targetId])).toEqual([
      [w.admin.userId, w.member.userId],
      [w.owner.userId, w.admin.userId],
    ]);
    expect(await db.auditEvent.count({ where: { type, organizationId: w.orgB } })).toBe(0);
  });

  it("needs a step-up of the admin within 10 minutes (S26); refused attempts change nothing", async () => {
    const w = await world();
    const target = { membershipId: w.member.membershipId };
    // A session that never passed a second factor.
    const fresh = await createSession(db, { userId: w.admin.userId, authMethod: "password", context: ctx }, w.now);
    const before = await snapshot(w);
    expect(
      await codeOf(
        act({ actor: { ...w.admin.admin, sessionId: fresh.id }, input: target, context: ctx }, { now: w.now }),
      ),
    ).toBe("STEP_UP_REQUIRED");
    // The step-up (t0) is 11 minutes old.
    const stale = at(w.t0, 11 * MINUTE);
    expect(await codeOf(act({ actor: w.admin.admin, input: target, context: ctx }, { now: stale }))).toBe(
      "STEP_UP_REQUIRED",
    );
    // Another person's stepped-up session does not count for this admin.
    expect(
      await codeOf(
        act({ actor: { ...w.admin.admin, sessionId: w.owner.sessionId }, input: target, context: ctx }, { now: w.now }),
      ),
    ).toBe("SESSION_EXPIRED");
    expect(await snapshot(w)).toBe(before);

    // A wrong code does not step up.
    expect(
      await codeOf(
        stepUp({ actor: w.admin.admin, input: { method: "totp", code: "000000" }, context: ctx }, { now: stale }),
      ),
    ).toBe("INVALID_CODE");
    expect(await codeOf(act({ actor: w.admin.admin, input: target, context: ctx }, { now: stale }))).toBe(
      "STEP_UP_REQUIRED",
    );
    // A current code does, for the current session only, and for 10 minutes.
    const r = await stepUp(
      { actor: w.admin.admin, input: { method: "totp", code: codeAt(w.admin.secret, stale) }, context: ctx },
      { now: stale },
    );
    expect(r.stepUpAt).toEqual(stale);
    expect((await db.session.findUniqueOrThrow({ where: { id: w.admin.sessionId } })).stepUpAt).toEqual(stale);
    expect((await db.session.findUniqueOrThrow({ where: { id: fresh.id } })).stepUpAt).toBeNull();
    expect(
      await codeOf(act({ actor: w.admin.admin, input: target, context: ctx }, { now: at(stale, 10 * MINUTE + 1) })),
    ).toBe("STEP_UP_REQUIRED");
    expect(
      await codeOf(act({ actor: w.admin.admin, input: target, context: ctx }, { now: at(stale, 9 * MINUTE) })),
    ).toBe("ok");
  });
});

describe("step-up (S26)", () => {
  it("accepts a recovery code (consumed once) and refuses a session of someone else", async () => {
    const w = await world();
    const code = w.admin.recoveryCodes[0] ?? "";
    const r = await stepUp({ actor: w.admin.admin, input: { method: "recovery", code }, context: ctx }, { now: w.now });
    expect(r.remainingRecoveryCodes).toBe(9);
    expect(
      await codeOf(stepUp({ actor: w.admin.admin, input: { method: "recovery", code }, context: ctx }, { now: w.now })),
    ).toBe("INVALID_CODE");
    // The admin's valid code on the owner's session: refused, and the code is not consumed.
    const t = at(w.now, MINUTE);
    const totp = codeAt(w.admin.secret, t);
    const foreign = { userId: w.admin.userId, sessionId: w.owner.sessionId, organizationId: null };
    expect(
      await codeOf(stepUp({ actor: foreign, input: { method: "totp", code: totp }, context: ctx }, { now: t })),
    ).toBe("SESSION_EXPIRED");
    expect((await db.session.findUniqueOrThrow({ where: { id: w.owner.sessionId } })).stepUpAt).toEqual(w.t0);
    expect(
      await codeOf(stepUp({ actor: w.admin.admin, input: { method: "totp", code: totp }, context: ctx }, { now: t })),
    ).toBe("ok");
  });
});

describe("reset a teammate's 2FA (S28)", () => {
  it("removes factor, codes and failure counter, signs the teammate out everywhere, audits and mails once", async () => {
    const w = await world();
    const { now } = w;
    // The teammate has more sessions, a pending re-enrollment and a wrong code on record.
    const extra = await createSession(db, { userId: w.member.userId, authMethod: "password+totp", context: ctx }, now);
    await startTotpEnrollment(
      { actor: { userId: w.member.userId, sessionId: extra.id, organizationId: null }, context: ctx },
      { now },
    );
    const wrong = verifySecondFactor(
      w.member.userId,
      { method: "totp", code: "000000" },
      { purpose: "sign-in", context: ctx, now },
      async () => undefined,
    );
    expect(await codeOf(wrong)).toBe("INVALID_CODE");
    expect(await db.rateLimit.count({ where: { key: secondFactorKey(w.member.userId) } })).toBe(1);
    const versionBefore = (await db.user.findUniqueOrThrow({ where: { id: w.member.userId } })).sessionVersion;

    const result = await resetTeammateTwoFactor(
      { actor: w.admin.admin, input: { membershipId: w.member.membershipId }, context: ctx },
      { now },
    );
    expect(result.sessionsRevoked).toBe(2);

    const uid = { userId: w.member.userId };
    expect(await db.totpFactor.count({ where: uid })).toBe(0);
    expect(await db.totpEnrollment.count({ where: uid })).toBe(0);
    expect(await db.recoveryCode.count({ where: uid })).toBe(0);
    // Cleared (since issue 9 the row is reset with a new generation rather than deleted).
    expect(await db.rateLimit.findUnique({ where: { key: secondFactorKey(w.member.userId) } })).toMatchObject({
      count: 0,
      failures: 0,
      lockedUntil: null,
    });
    const sessions = await db.session.findMany({ where: uid });
    expect(sessions.length).toBe(2);
    for (const s of sessions) expect([s.revokedAt, s.revokedReason]).toEqual([now, "two_factor_reset_by_admin"]);
    expect((await db.user.findUniqueOrThrow({ where: { id: w.member.userId } })).sessionVersion).toBe(
      versionBefore + 1,
    );
    // The admin (and everyone else) stays signed in.
    expect((await db.session.findUniqueOrThrow({ where: { id: w.admin.sessionId } })).revokedAt).toBeNull();
    expect((await db.session.findUniqueOrThrow({ where: { id: w.member2.sessionId } })).revokedAt).toBeNull();
    // The old factor and codes no longer work.
    const old = (input: { method: "totp" | "recovery"; code: string }, t: Date) =>
      codeOf(verifySecondFactor(w.member.userId, input, { purpose: "sign-in", context: ctx, now: t }, async () => 1));
    expect(await old({ method: "totp", code: codeAt(w.member.secret, at(now, 30)) }, at(now, 30))).toBe(
      "TWO_FACTOR_NOT_ENABLED",
    );
    expect(await old({ method: "recovery", code: w.member.recoveryCodes[1] ?? "" }, now)).toBe(
      "TWO_FACTOR_NOT_ENABLED",
    );

    const audits = await db.auditEvent.findMany({ where: { type: "2fa.admin_reset", targetId: w.member.userId } });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: w.admin.userId, organizationId: w.orgA, ip: ctx.ip });
    const mails = await db.outboxMessage.findMany({
      where: { template: "two-factor-reset", to: { in: w.people.map((p) => p.email) } },
    });
    expect(mails.map((m) => m.to)).toEqual([w.member.email]);
    const payload = mailData<{ reEnrollUrl: string; adminName: string }>(mails[0]);
    expect(payload.adminName).toBe("Ada Admin");
    const prefix = `${env.NEXTAUTH_URL}/re-enroll/`;
    expect(payload.reEnrollUrl.startsWith(prefix)).toBe(true);
    const token = payload.reEnrollUrl.slice(prefix.length);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
    // Only the hash is stored; the token reaches neither the admin's result nor the audit log.
    const stored = await db.reEnrollmentToken.findFirstOrThrow({ where: uid });
    expect(stored).toMatchObject({
      tokenHash: hashToken(token),
      organizationId: w.orgA,
      createdById: w.admin.userId,
      usedAt: null,
      expiresAt: at(now, 24 * HOUR),
    });
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(JSON.stringify(result)).not.toContain(token);
    expect(JSON.stringify(audits)).not.toContain(token);

    // Nothing left to reset.
    expect(
      await codeOf(
        resetTeammateTwoFactor(
          { actor: w.admin.admin, input: { membershipId: w.member.membershipId }, context: ctx },
          { now },
        ),
      ),
    ).toBe("TEAMMATE_NO_TWO_FACTOR");
  });

  it("is refused for a teammate without 2FA, changing nothing", async () => {
    const w = await world();
    const before = await snapshot(w);
    const r = resetTeammateTwoFactor(
      { actor: w.admin.admin, input: { membershipId: w.noFactor.membershipId }, context: ctx },
      { now: w.now },
    );
    expect(await codeOf(r)).toBe("TEAMMATE_NO_TWO_FACTOR");
    expect(await snapshot(w)).toBe(before);
    expect(await db.session.count({ where: { userId: w.noFactor.userId, revokedAt: { not: null } } })).toBe(0);
  });
});

describe("re-enrollment link", () => {
  async function resetAndReadLink(w: World, now = w.now) {
    await resetTeammateTwoFactor(
      { actor: w.admin.admin, input: { membershipId: w.member.membershipId }, context: ctx },
      { now },
    );
    const mail = await db.outboxMessage.findFirstOrThrow({
      where: { to: w.member.email, template: "two-factor-reset" },
      orderBy: { createdAt: "desc" },
    });
    return String(mailData<{ reEnrollUrl: string }>(mail).reEnrollUrl.split("/re-enroll/")[1]);
  }

  it("works once with the teammate's password; a wrong password does not consume it; unknown links are refused", async () => {
    const w = await world();
    const token = await resetAndReadLink(w);
    expect(
      await codeOf(redeemReEnrollmentToken({ input: { token, password: "not the password" } }, { now: w.now })),
    ).toBe("INVALID_PASSWORD");
    expect(
      await codeOf(redeemReEnrollmentToken({ input: { token: `${token}x`, password: PASSWORD } }, { now: w.now })),
    ).toBe("REENROLLMENT_INVALID");
    expect(await codeOf(redeemReEnrollmentToken({ input: { token: "", password: PASSWORD } }, { now: w.now }))).toBe(
      "REENROLLMENT_INVALID",
    );
    expect(await redeemReEnrollmentToken({ input: { token, password: PASSWORD } }, { now: w.now })).toEqual({
      userId: w.member.userId,
    });
    expect(await codeOf(redeemReEnrollmentToken({ input: { token, password: PASSWORD } }, { now: w.now }))).toBe(
      "REENROLLMENT_USED",
    );
    const row = await db.reEnrollmentToken.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });
    expect(row.usedAt).toEqual(w.now);
  });

  it("expires after 24 hours (fake clock)", async () => {
    const w = await world();
    const token = await resetAndReadLink(w);
    expect(
      await codeOf(redeemReEnrollmentToken({ input: { token, password: PASSWORD } }, { now: at(w.now, 24 * HOUR) })),
    ).toBe("REENROLLMENT_EXPIRED");
    expect(
      await codeOf(
        redeemReEnrollmentToken({ input: { token, password: PASSWORD } }, { now: at(w.now, 24 * HOUR + 1) }),
      ),
    ).toBe("REENROLLMENT_EXPIRED");
    expect(
      await codeOf(
        redeemReEnrollmentToken({ input: { token, password: PASSWORD } }, { now: at(w.now, 24 * HOUR - 1) }),
      ),
    ).toBe("ok");
  });

  it("parallel redemptions consume it exactly once", async () => {
    const w = await world();
    const token = await resetAndReadLink(w);
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        codeOf(redeemReEnrollmentToken({ input: { token, password: PASSWORD } }, { now: w.now })),
      ),
    );
    expect(results.filter((r) => r === "ok")).toHaveLength(1);
    expect(results.filter((r) => r !== "ok")).toEqual(Array(4).fill("REENROLLMENT_USED"));
  });

  it("a newer reset replaces an unused older link", async () => {
    const w = await world();
    const first = await resetAndReadLink(w);
    // The teammate sets up 2FA again on their own, then is reset a second time.
    const again = await withTwoFactor(w.member, at(w.now, MINUTE));
    expect(again.secret).not.toBe(w.member.secret);
    const second = await resetAndReadLink(w, at(w.now, 2 * MINUTE));
    expect(
      await codeOf(
        redeemReEnrollmentToken({ input: { token: first, password: PASSWORD } }, { now: at(w.now, 3 * MINUTE) }),
      ),
    ).toBe("REENROLLMENT_INVALID");
    expect(
      await codeOf(
        redeemReEnrollmentToken({ input: { token: second, password: PASSWORD } }, { now: at(w.now, 3 * MINUTE) }),
      ),
    ).toBe("ok");
  });
});

describe("issue recovery codes for a teammate (S27)", () => {
  it("voids the old set, mails 10 new codes only to the teammate, and returns none of them", async () => {
    const w = await world();
    const { now } = w;
    const result = await issueRecoveryCodesForTeammate(
      { actor: w.admin.admin, input: { membershipId: w.member.membershipId }, context: ctx },
      { now },
    );
    expect(result).toEqual({ issued: 10 });

    const mails = await db.outboxMessage.findMany({
      where: { template: "recovery-codes-issued", to: { in: w.people.map((p) => p.email) } },
    });
    expect(mails.map((m) => m.to)).toEqual([w.member.email]);
    const codes = mailData<{ codes?: string[] }>(mails[0]).codes ?? [];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const returned = JSON.stringify(result);
    const audits = JSON.stringify(await db.auditEvent.findMany({ where: { actorId: w.admin.userId } }));
    const stored = JSON.stringify(await db.recoveryCode.findMany({ where: { userId: w.member.userId } }));
    const adminMail = JSON.stringify(await db.outboxMessage.findMany({ where: { to: w.admin.email } }));
    for (const code of codes) {
      for (const form of [code, code.replaceAll("-", "")]) {
        expect(returned).not.toContain(form);
        expect(audits).not.toContain(form);
        expect(stored).not.toContain(form);
        expect(adminMail).not.toContain(form);
      }
    }
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { type: "2fa.recovery_codes_issued", targetId: w.member.userId },
    });
    expect(audit).toMatchObject({ actorId: w.admin.userId, organizationId: w.orgA, metadata: { issued: 10 } });

    const verify = (code: string, t = now) =>
      codeOf(
        verifySecondFactor(
          w.member.userId,
          { method: "recovery", code },
          { purpose: "sign-in", context: ctx, now: t },
          async () => undefined,
        ),
      );
    // The old set no longer works; each new code works once (as the teammate would type it from the mail).
    expect(await verify(w.member.recoveryCodes[0] ?? "")).toBe("INVALID_CODE");
    expect(await verify(w.member.recoveryCodes[9] ?? "")).toBe("INVALID_CODE");
    for (const code of codes.slice(0, 3)) expect(await verify(code.toUpperCase())).toBe("ok");
    expect(await verify(codes[0] ?? "")).toBe("INVALID_CODE");
    expect(await db.recoveryCode.count({ where: { userId: w.member.userId, usedAt: null } })).toBe(7);
    // The authenticator app is untouched, and nobody was signed out.
    const t = at(now, MINUTE);
    const totp = verifySecondFactor(
      w.member.userId,
      { method: "totp", code: codeAt(w.member.secret, t) },
      { purpose: "sign-in", context: ctx, now: t },
      async () => undefined,
    );
    expect(await codeOf(totp)).toBe("ok");
    expect(await db.session.count({ where: { userId: w.member.userId, revokedAt: { not: null } } })).toBe(0);
  });

  it("racing a reset never leaves codes without an authenticator", async () => {
    const w = await world();
    const target = { membershipId: w.member.membershipId };
    const results = await Promise.all([
      codeOf(resetTeammateTwoFactor({ actor: w.owner.admin, input: target, context: ctx }, { now: w.now })),
      codeOf(issueRecoveryCodesForTeammate({ actor: w.admin.admin, input: target, context: ctx }, { now: w.now })),
    ]);
    expect(results[0]).toBe("ok");
    expect(["ok", "TEAMMATE_NO_TWO_FACTOR"]).toContain(results[1]);
    expect(await db.totpFactor.count({ where: { userId: w.member.userId } })).toBe(0);
    expect(await db.recoveryCode.count({ where: { userId: w.member.userId } })).toBe(0);
  });

  it("is refused for a teammate who has not set up 2FA, changing nothing", async () => {
    const w = await world();
    const before = await snapshot(w);
    const r = issueRecoveryCodesForTeammate(
      { actor: w.admin.admin, input: { membershipId: w.noFactor.membershipId }, context: ctx },
      { now: w.now },
    );
    expect(await codeOf(r)).toBe("TEAMMATE_NO_TWO_FACTOR");
    expect(await snapshot(w)).toBe(before);
    expect(await db.recoveryCode.count({ where: { userId: w.noFactor.userId } })).toBe(0);
  });
});
