// An administrator signs a teammate out everywhere (issue 10 item 3; S23) against a real PostgreSQL: who may do it to
// whom (S25), the admin's step-up (S26), what ends and what stays (every session and pending sign-in ends; the 2FA
// factor and recovery codes stay), the audit rows in every organization of the account (S40) and the mail.

import { describe, expect, it } from "vitest";
import { addMember, createOrgWithOwner, ctx, PASSWORD, signIn, withTwoFactor } from "@/test/factories";
import { mailData } from "@/test/mail";
import type { Actor } from "../../auth/actor";
import { totpAt } from "../../crypto/totp";
import { db } from "../../db";
import { DomainError } from "../../errors";
import { loadActiveSession } from "../sessions/active-session";
import { createSession } from "../sessions/create-session";
import { passwordStep } from "../sign-in/password-step";
import { verifySecondFactor } from "../two-factor/verification";
import { signOutTeammateEverywhere } from "./sign-out-teammate";

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof DomainError ? e.code : `unexpected: ${String(e)}`),
  );
const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);

/** Org A: owner, admin, two members with 2FA, one without, a removed member, org B's owner and org B's member as
 *  members; org B: owner, admin, member. Everyone passed 2FA (when they have it) at t0 and has a session. */
async function world() {
  const t0 = new Date();
  const ownerBase = await createOrgWithOwner({ name: "Acme Signout" });
  const orgA = ownerBase.organizationId;
  const owner = await withTwoFactor(ownerBase, t0);
  const admin = await withTwoFactor(await addMember(ownerBase.actor, { role: "ADMIN", name: "Ada Admin" }), t0);
  const member = await withTwoFactor(await addMember(ownerBase.actor, { name: "Max Member" }), t0);
  const member2 = await withTwoFactor(await addMember(ownerBase.actor, { name: "Mia Member" }), t0);
  const noFactor = await addMember(ownerBase.actor, { name: "Nora NoFactor" });
  const noFactorSession = await signIn(noFactor, t0);
  const removed = await withTwoFactor(await addMember(ownerBase.actor, { name: "Rex Removed" }), t0);
  await db.membership.update({ where: { id: removed.membershipId }, data: { status: "REMOVED" } });
  const otherBase = await createOrgWithOwner({ name: "Beta Signout" });
  const otherOwner = await withTwoFactor(otherBase, t0);
  const otherAdmin = await withTwoFactor(await addMember(otherBase.actor, { role: "ADMIN" }), t0);
  const otherMember = await withTwoFactor(await addMember(otherBase.actor, { name: "Bo Both" }), t0);
  // Org B's owner and org B's member are also members of org A.
  const ownerOfBInA = await addMember(ownerBase.actor, { email: otherBase.email });
  const bothInA = await addMember(ownerBase.actor, { email: otherMember.email });
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
    now: at(t0, 60),
    orgA,
    orgB: otherBase.organizationId,
    owner: { ...owner, membershipId: ownerMembershipId, admin: asActor(owner) },
    admin: { ...admin, admin: asActor(admin) },
    member: { ...member, admin: asActor(member) },
    member2,
    noFactor: { ...noFactor, sessionId: noFactorSession },
    removed,
    otherAdmin: { ...otherAdmin, admin: asActor(otherAdmin, otherBase.organizationId) },
    otherMember,
    ownerOfBInA,
    bothInA,
    people,
  };
}
type World = Awaited<ReturnType<typeof world>>;

/** Everything the action could change, as one comparable string. */
async function snapshot(w: World): Promise<string> {
  const userIds = w.people.map((p) => p.userId);
  const inUsers = { userId: { in: userIds } };
  return JSON.stringify(
    await Promise.all([
      db.session.findMany({ where: inUsers, orderBy: { id: "asc" } }),
      db.signInChallenge.findMany({ where: inUsers, orderBy: { id: "asc" } }),
      db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, sessionVersion: true } }),
      db.auditEvent.count({
        where: { OR: [{ organizationId: { in: [w.orgA, w.orgB] } }, { targetId: { in: userIds } }] },
      }),
      db.outboxMessage.count({ where: { to: { in: w.people.map((p) => p.email) } } }),
    ]),
  );
}

const run = (actor: Actor, membershipId: string, now: Date) =>
  signOutTeammateEverywhere({ actor, input: { membershipId }, context: ctx }, { now });

describe("admin signs a teammate out everywhere: who may act on whom (S25)", () => {
  it("refuses every pair outside the matrix and changes nothing; owner→admin, admin→member succeed", async () => {
    const w = await world();
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
    for (const [label, actor, membershipId, expected] of cases)
      expect([label, await codeOf(run(actor, membershipId, w.now))]).toEqual([label, expected]);
    expect(await snapshot(w)).toBe(before);

    expect(await codeOf(run(w.admin.admin, w.member.membershipId, w.now))).toBe("ok");
    // A teammate without 2FA can be signed out too: nothing about 2FA is needed.
    expect(await codeOf(run(w.admin.admin, w.noFactor.membershipId, w.now))).toBe("ok");
    expect(await codeOf(run(w.owner.admin, w.admin.membershipId, w.now))).toBe("ok");
    // Signed out, the admin can no longer act: their session is over.
    expect(await codeOf(run(w.admin.admin, w.member2.membershipId, w.now))).toBe("SESSION_EXPIRED");
    const audits = await db.auditEvent.findMany({
      where: { type: "session.revoked_by_admin", organizationId: w.orgA },
      orderBy: { createdAt: "asc" },
    });
    expect(audits.map((a) => [a.actorId, a.targetId])).toEqual([
      [w.admin.userId, w.member.userId],
      [w.admin.userId, w.noFactor.userId],
      [w.owner.userId, w.admin.userId],
    ]);
    expect(await db.auditEvent.count({ where: { type: "session.revoked_by_admin", organizationId: w.orgB } })).toBe(0);
  });

  it("needs a step-up of the admin within 10 minutes (S26); refused attempts change nothing", async () => {
    const w = await world();
    const fresh = await createSession(db, { userId: w.admin.userId, authMethod: "password", context: ctx }, w.now);
    const plainAdmin = await addMember({ userId: w.owner.userId, organizationId: w.orgA }, { role: "ADMIN" });
    const plainSession = await signIn(plainAdmin, w.now);
    const before = await snapshot(w);
    expect(await codeOf(run({ ...w.admin.admin, sessionId: fresh.id }, w.member.membershipId, w.now))).toBe(
      "STEP_UP_REQUIRED",
    );
    expect(await codeOf(run(w.admin.admin, w.member.membershipId, at(w.t0, 11 * 60)))).toBe("STEP_UP_REQUIRED");
    expect(await codeOf(run({ ...w.admin.admin, sessionId: w.owner.sessionId }, w.member.membershipId, w.now))).toBe(
      "SESSION_EXPIRED",
    );
    // An admin without 2FA of their own is told to set it up first.
    expect(await codeOf(run({ ...plainAdmin.actor, sessionId: plainSession }, w.member.membershipId, w.now))).toBe(
      "STEP_UP_NEEDS_OWN_TWO_FACTOR",
    );
    expect(await snapshot(w)).toBe(before);
  });
});

describe("what signing a teammate out everywhere does (S23)", () => {
  it("ends every session and pending sign-in with its reason, keeps 2FA, audits and mails once", async () => {
    const w = await world();
    const { now } = w;
    const second = await createSession(db, { userId: w.member.userId, authMethod: "password+totp", context: ctx }, now);
    const { challengeToken } = await passwordStep(
      { input: { email: w.member.email, password: PASSWORD }, context: ctx },
      { tx: db, now },
    );
    expect(challengeToken).toBeTruthy();
    const factorBefore = await db.totpFactor.findUniqueOrThrow({ where: { userId: w.member.userId } });
    const codesBefore = await db.recoveryCode.findMany({ where: { userId: w.member.userId }, orderBy: { id: "asc" } });
    const versionBefore = (await db.user.findUniqueOrThrow({ where: { id: w.member.userId } })).sessionVersion;
    // A captured cookie's session works before…
    expect((await loadActiveSession(w.member.sessionId, { now }))?.id).toBe(w.member.sessionId);

    const result = await run(w.admin.admin, w.member.membershipId, now);
    expect(result).toEqual({ sessionsRevoked: 2 });

    const sessions = await db.session.findMany({ where: { userId: w.member.userId }, orderBy: { id: "asc" } });
    expect(sessions.map((s) => s.id).sort()).toEqual([w.member.sessionId, second.id].sort());
    for (const s of sessions) expect([s.revokedAt, s.revokedReason]).toEqual([now, "signed_out_by_admin"]);
    // …and is refused afterwards, however it is presented (S21).
    expect(await loadActiveSession(w.member.sessionId, { now: at(now, 1) })).toBeNull();
    expect(await loadActiveSession(second.id, { now: at(now, 1) })).toBeNull();
    expect(await db.signInChallenge.count({ where: { userId: w.member.userId, consumedAt: null } })).toBe(0);
    expect((await db.user.findUniqueOrThrow({ where: { id: w.member.userId } })).sessionVersion).toBe(
      versionBefore + 1,
    );

    // 2FA untouched: the same factor and codes, and the authenticator still verifies.
    expect(await db.totpFactor.findUniqueOrThrow({ where: { userId: w.member.userId } })).toEqual(factorBefore);
    expect(await db.recoveryCode.findMany({ where: { userId: w.member.userId }, orderBy: { id: "asc" } })).toEqual(
      codesBefore,
    );
    const t = at(now, 60);
    expect(
      await codeOf(
        verifySecondFactor(
          w.member.userId,
          { method: "totp", code: totpAt(w.member.secret, { time: t.getTime() }) },
          { purpose: "sign-in", context: ctx, now: t },
          async () => undefined,
        ),
      ),
    ).toBe("ok");

    // Everyone else stays signed in, the admin too.
    for (const id of [w.admin.sessionId, w.member2.sessionId, w.owner.sessionId, w.noFactor.sessionId])
      expect((await db.session.findUniqueOrThrow({ where: { id } })).revokedAt).toBeNull();

    const audits = await db.auditEvent.findMany({
      where: { type: "session.revoked_by_admin", targetId: w.member.userId },
    });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actorId: w.admin.userId,
      organizationId: w.orgA,
      ip: ctx.ip,
      metadata: { membershipId: w.member.membershipId, sessionsRevoked: 2 },
    });
    const mails = await db.outboxMessage.findMany({
      where: { template: "signed-out-by-admin", to: { in: w.people.map((p) => p.email) } },
    });
    expect(mails.map((m) => m.to)).toEqual([w.member.email]);
    expect(mailData(mails[0])).toMatchObject({
      name: "Max Member",
      adminName: "Ada Admin",
      organizationName: "Acme Signout",
      sessionsRevoked: 2,
    });
    // The admin's answer carries a count, nothing about the teammate's secrets.
    expect(JSON.stringify(result)).not.toContain(w.member.secret);
  });

  it("an account that is also a member of another organization is signed out, audited in both (S40)", async () => {
    const w = await world();
    const result = await run(w.admin.admin, w.bothInA.membershipId, w.now);
    expect(result.sessionsRevoked).toBe(1);
    expect((await db.session.findUniqueOrThrow({ where: { id: w.otherMember.sessionId } })).revokedReason).toBe(
      "signed_out_by_admin",
    );
    const audits = await db.auditEvent.findMany({
      where: { type: "session.revoked_by_admin", targetId: w.otherMember.userId },
    });
    expect(audits.map((a) => a.organizationId).sort()).toEqual([w.orgA, w.orgB].sort());
    expect(audits.every((a) => a.actorId === w.admin.userId)).toBe(true);
    // Its 2FA stays: the other organization's 2FA protection is untouched.
    expect(await db.totpFactor.count({ where: { userId: w.otherMember.userId } })).toBe(1);
  });

  it("a teammate with no session left: nothing to revoke, still audited and told", async () => {
    const w = await world();
    await run(w.admin.admin, w.member2.membershipId, w.now);
    const again = await run(w.admin.admin, w.member2.membershipId, at(w.now, 1));
    expect(again).toEqual({ sessionsRevoked: 0 });
    expect(await db.auditEvent.count({ where: { type: "session.revoked_by_admin", targetId: w.member2.userId } })).toBe(
      2,
    );
    expect(await db.outboxMessage.count({ where: { template: "signed-out-by-admin", to: w.member2.email } })).toBe(2);
  });
});
