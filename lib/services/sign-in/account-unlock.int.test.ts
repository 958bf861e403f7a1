// An administrator unlocks a teammate locked out by failed attempts (issue 9 item 3, S11, S25, S26, S40) — real
// PostgreSQL: who may unlock whom (nothing changes when refused), what an unlock changes, its audit rows and its mail.
import { randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import { addMember, createOrgWithOwner, PASSWORD, withTwoFactor } from "@/test/factories";
import type { Actor } from "../../auth/actor";
import { totpAt } from "../../crypto/totp";
import { db } from "../../db";
import { DomainError } from "../../errors";
import { passwordKeys } from "../rate-limit/password-limits";
import { secondFactorKey } from "../two-factor/lock-policy";
import { completeSignIn } from "./complete-sign-in";
import { lockStatuses, teammateLocks } from "./lock-status";
import { passwordStep } from "./password-step";
import { unlockTeammate } from "./unlock-teammate";

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof DomainError ? e.code : `unexpected: ${String(e)}`),
  );
const network = () => ({ ip: `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`, userAgent: "vitest" });
const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);

/** Ten wrong passwords from one network: the account is paused for that network. */
async function lockPassword(email: string, net = network(), now = new Date()) {
  for (let i = 0; i < 10; i++)
    await codeOf(passwordStep({ input: { email, password: `guess ${i}` }, context: net }, { tx: db, now }));
  return net;
}

async function world() {
  const t0 = new Date();
  const ownerBase = await createOrgWithOwner();
  const orgA = ownerBase.organizationId;
  const owner = await withTwoFactor(ownerBase, t0);
  const admin = await withTwoFactor(await addMember(ownerBase.actor, { role: "ADMIN", name: "Ada Admin" }), t0);
  const member = await withTwoFactor(await addMember(ownerBase.actor, { name: "Max Member" }), t0);
  const member2 = await withTwoFactor(await addMember(ownerBase.actor, { name: "Mia Member" }), t0);
  const removed = await addMember(ownerBase.actor, { name: "Rex Removed" });
  await db.membership.update({ where: { id: removed.membershipId }, data: { status: "REMOVED" } });
  const otherBase = await createOrgWithOwner();
  const otherAdmin = await withTwoFactor(await addMember(otherBase.actor, { role: "ADMIN" }), t0);
  // Org B's owner is a member of A; A's member is also a member of B.
  const ownerOfBInA = await addMember(ownerBase.actor, { email: otherBase.email });
  await addMember(otherBase.actor, { email: member.email });
  const ownerMembershipId = (await db.membership.findFirstOrThrow({ where: { organizationId: orgA, role: "OWNER" } }))
    .id;
  const asActor = (p: { userId: string; sessionId: string }, organizationId = orgA): Actor => ({
    userId: p.userId,
    organizationId,
    sessionId: p.sessionId,
  });
  const people = [owner, admin, member, member2, removed, otherBase, ownerOfBInA];
  for (const p of people) await lockPassword(p.email, network(), t0);
  return {
    t0,
    now: at(t0, 60), // every session above passed its second factor at t0 (step-up within 10 minutes)
    orgA,
    orgB: otherBase.organizationId,
    owner: { ...owner, membershipId: ownerMembershipId, actor: asActor(owner) },
    admin: { ...admin, actor: asActor(admin) },
    member: { ...member, actor: asActor(member) },
    member2,
    removed,
    ownerOfBInA,
    otherAdmin: { ...otherAdmin, actor: asActor(otherAdmin, otherBase.organizationId) },
    people,
  };
}
type World = Awaited<ReturnType<typeof world>>;

async function snapshot(w: World): Promise<string> {
  const userIds = w.people.map((p) => p.userId);
  const emails = w.people.map((p) => p.email);
  return JSON.stringify(
    await Promise.all([
      db.rateLimit.findMany({
        where: {
          OR: [
            { key: { in: userIds.map(secondFactorKey) } },
            { key: { in: emails.map(passwordKeys.account) } },
            ...emails.map((e) => ({ key: { startsWith: passwordKeys.accountNetworks(e) } })),
          ],
        },
        orderBy: { key: "asc" },
      }),
      db.auditEvent.count({ where: { type: "account.unlocked" } }),
      db.outboxMessage.count({ where: { to: { in: emails } } }),
    ]),
  );
}

describe("unlocking a teammate (issue 9 item 3)", () => {
  it("refuses every pair outside the matrix and changes nothing", async () => {
    const w = await world();
    const { now } = w;
    const cases: [string, Actor, string, string][] = [
      ["admin → owner", w.admin.actor, w.owner.membershipId, "OWNER_PROTECTED"],
      ["admin → a member who owns another organization", w.admin.actor, w.ownerOfBInA.membershipId, "OWNER_PROTECTED"],
      ["member → member", w.member.actor, w.member2.membershipId, "FORBIDDEN"],
      ["member → admin", w.member.actor, w.admin.membershipId, "FORBIDDEN"],
      ["member → owner", w.member.actor, w.owner.membershipId, "FORBIDDEN"],
      ["admin of org B → member of org A", w.otherAdmin.actor, w.member2.membershipId, "NOT_FOUND"],
      [
        "admin of org B claims org A",
        { ...w.otherAdmin.actor, organizationId: w.orgA },
        w.member.membershipId,
        "FORBIDDEN",
      ],
      ["admin → themself", w.admin.actor, w.admin.membershipId, "NOT_ON_YOURSELF"],
      ["owner → themself", w.owner.actor, w.owner.membershipId, "NOT_ON_YOURSELF"],
      ["admin → removed membership", w.admin.actor, w.removed.membershipId, "NOT_FOUND"],
      ["admin → nonexistent membership", w.admin.actor, "no-such-membership", "NOT_FOUND"],
    ];
    const before = await snapshot(w);
    for (const [label, actor, membershipId, expected] of cases) {
      expect([
        label,
        await codeOf(unlockTeammate({ actor, input: { membershipId }, context: network() }, { now })),
      ]).toEqual([label, expected]);
    }
    // Without a recent step-up (S26): refused too.
    expect(
      await codeOf(
        unlockTeammate(
          { actor: w.admin.actor, input: { membershipId: w.member.membershipId }, context: network() },
          { now: at(now, 3600) },
        ),
      ),
    ).toBe("STEP_UP_REQUIRED");
    expect(await snapshot(w)).toBe(before);

    // Allowed: admin → member, owner → admin, owner → a member who owns another organization.
    expect(
      await codeOf(
        unlockTeammate(
          { actor: w.admin.actor, input: { membershipId: w.member.membershipId }, context: network() },
          { now },
        ),
      ),
    ).toBe("ok");
    expect(
      await codeOf(
        unlockTeammate(
          { actor: w.owner.actor, input: { membershipId: w.admin.membershipId }, context: network() },
          { now },
        ),
      ),
    ).toBe("ok");
    expect(
      await codeOf(
        unlockTeammate(
          { actor: w.owner.actor, input: { membershipId: w.ownerOfBInA.membershipId }, context: network() },
          { now },
        ),
      ),
    ).toBe("ok");
    // Nothing left to unlock: a clear refusal, nothing written.
    const after = await snapshot(w);
    expect(
      await codeOf(
        unlockTeammate(
          { actor: w.admin.actor, input: { membershipId: w.member.membershipId }, context: network() },
          { now },
        ),
      ),
    ).toBe("TEAMMATE_NOT_LOCKED");
    expect(await snapshot(w)).toBe(after);
  });

  it("clears the password and second-factor locks, audits in every organization of the teammate, and emails them", async () => {
    const w = await world();
    const { now } = w;
    // Max is also locked out of his second factor (10 wrong codes after a correct password).
    const net = network();
    const { challengeToken } = await passwordStep(
      { input: { email: w.member.email, password: PASSWORD }, context: net },
      { tx: db, now },
    );
    const wrong = totpAt(w.member.secret, { time: now.getTime() + 3600_000 });
    for (let i = 0; i < 10; i++)
      await codeOf(
        completeSignIn(
          { input: { challengeToken, secondFactor: { method: "totp", code: wrong } }, context: net },
          { now },
        ),
      );
    const status = (await teammateLocks({ actor: w.admin.actor, input: { people: [w.member] } }, { now })).get(
      w.member.userId,
    );
    expect(status?.passwordUntil?.getTime()).toBe(w.t0.getTime() + 15 * 60_000);
    expect(status?.passwordScope).toBe("network");
    expect(status?.secondFactorUntil?.getTime()).toBe(now.getTime() + 15 * 60_000);
    // The lock mails went out (password lock at t0, second factor lock now).
    expect(
      await db.outboxMessage.findMany({
        where: { to: w.member.email, template: "account-locked" },
        select: { payload: true },
      }),
    ).toEqual([
      { payload: expect.objectContaining({ factor: "password", scope: "network" }) },
      { payload: expect.objectContaining({ factor: "second-factor" }) },
    ]);

    const r = await unlockTeammate(
      { actor: w.admin.actor, input: { membershipId: w.member.membershipId }, context: network() },
      { now },
    );
    expect(r.unlocked).toEqual(["password", "second-factor"]);
    expect((await lockStatuses(db, [w.member], now)).size).toBe(0);
    const audits = await db.auditEvent.findMany({
      where: { type: "account.unlocked", targetId: w.member.userId },
      orderBy: { organizationId: "asc" },
    });
    expect(audits.map((a) => a.organizationId).sort()).toEqual([w.orgA, w.orgB].sort());
    for (const a of audits) {
      expect(a.actorId).toBe(w.admin.userId);
      expect(a.metadata).toMatchObject({ factors: ["password", "second-factor"], byOrganizationId: w.orgA });
    }
    const mail = await db.outboxMessage.findFirstOrThrow({
      where: { to: w.member.email, template: "account-unlocked" },
    });
    expect(mail.payload).toMatchObject({ adminName: "Ada Admin", factors: ["password", "second-factor"] });

    // Max signs in again at once, from the network that was locked, with his app.
    const again = await passwordStep(
      { input: { email: w.member.email, password: PASSWORD }, context: net },
      { tx: db, now },
    );
    const t = at(now, 30);
    expect(
      await codeOf(
        completeSignIn(
          {
            input: {
              challengeToken: again.challengeToken,
              secondFactor: { method: "totp", code: totpAt(w.member.secret, { time: t.getTime() }) },
            },
            context: net,
          },
          { now: t },
        ),
      ),
    ).toBe("ok");
  });
});
