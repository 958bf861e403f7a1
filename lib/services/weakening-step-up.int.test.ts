// S42 against a real PostgreSQL: every action that weakens security needs a recent second-factor check (step-up) of
// the acting admin — one matrix over all of them — while tightening needs none. And B6, the lockout guardrail: "sign
// out now" or a deadline while no other owner/administrator has 2FA needs an explicit confirmation.
import { describe, expect, it } from "vitest";
import { addMember, createOrgWithOwner, ctx, PASSWORD, signIn, withTwoFactor } from "@/test/factories";
import type { Actor } from "../auth/actor";
import { totpAt } from "../crypto/totp";
import { db } from "../db";
import { DomainError } from "../errors";
import { saveTwoFactorPolicy } from "./org-policy/change";
import { grantTwoFactorExemption, revokeTwoFactorExemption } from "./org-policy/exemptions";
import type { PolicyInput } from "./org-policy/plan-input";
import { setRecoveryCodeAlert } from "./org-policy/recovery-code-alert-setting";
import { weakenings } from "./org-policy/weakenings";
import { changeRole } from "./teammates/teammates";
import { transferOwnership } from "./teammates/transfer-ownership";
import { setDeviceTrust } from "./trusted-access/device-settings";
import { stepUp } from "./two-factor/step-up";

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof DomainError ? e.code : `unexpected: ${String(e)}`),
  );
const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);
const DAY = 24 * 3600_000;
const base: Omit<PolicyInput, "expectedVersion"> = {
  requireTwoFactor: true,
  mode: "NOW",
  exemptSso: false,
  allowedMethods: ["TOTP"],
};

/**
 * Org (Professional): the owner (2FA, signed in, NO step-up: the enrollment of their app does not count), an admin with
 * 2FA (so the lockout guardrail stays quiet), a member without 2FA and a second member.
 */
async function world() {
  const t0 = new Date();
  const ownerBase = await createOrgWithOwner({ plan: "PROFESSIONAL", name: "Matrix Org" });
  const owner = await withTwoFactor(ownerBase, t0, { stepUp: false });
  const admin = await withTwoFactor(await addMember(ownerBase.actor, { role: "ADMIN", name: "Ada Admin" }), t0);
  const member = await addMember(ownerBase.actor, { name: "Max Member" });
  const member2 = await addMember(ownerBase.actor, { name: "Mia Member" });
  const actor = { ...ownerBase.actor, sessionId: owner.sessionId } satisfies Actor;
  return { t0, now: at(t0, 60), org: ownerBase.organizationId, owner, actor, admin, member, member2 };
}
type World = Awaited<ReturnType<typeof world>>;

async function save(w: World, input: Partial<PolicyInput>, now = w.now) {
  const { policyVersion } = await db.organization.findUniqueOrThrow({ where: { id: w.org } });
  return saveTwoFactorPolicy(
    { actor: w.actor, input: { ...base, expectedVersion: policyVersion, ...input }, context: ctx },
    { now },
  );
}

/** Every row a weakening action could change: the policy, the memberships, sessions, audit rows and mail. */
async function snapshot(w: World): Promise<string> {
  const members = await db.membership.findMany({
    where: { organizationId: w.org },
    orderBy: { id: "asc" },
    select: { id: true, role: true, status: true, twoFactorExemptUntil: true, twoFactorExemptReason: true },
  });
  const userIds = [w.owner.userId, w.admin.userId, w.member.userId, w.member2.userId];
  return JSON.stringify(
    await Promise.all([
      db.organization.findUniqueOrThrow({ where: { id: w.org } }),
      members,
      db.session.findMany({
        where: { userId: { in: userIds } },
        orderBy: { id: "asc" },
        select: { id: true, revokedAt: true },
      }),
      db.auditEvent.count({ where: { organizationId: w.org, type: { not: { startsWith: "2fa.recovery_code" } } } }),
      db.outboxMessage.count({
        where: {
          to: { in: [w.owner.email, w.admin.email, w.member.email, w.member2.email] },
          template: { not: "recovery-code-used" },
        },
      }),
    ]),
  );
}

interface Case {
  name: string;
  /** Brings the organization to the state the action starts from (tightening only: needs no step-up). */
  prepare?: (w: World) => Promise<unknown>;
  act: (w: World, opts: { withCode: boolean }) => Promise<unknown>;
  /** What the action answers without a step-up (ownership transfer asks for a code itself). */
  refusal?: string;
}

const weakening: Case[] = [
  { name: "turn the requirement off", prepare: (w) => save(w, {}), act: (w) => save(w, { requireTwoFactor: false }) },
  { name: "now → at next sign-in", prepare: (w) => save(w, {}), act: (w) => save(w, { mode: "NEXT_SIGN_IN" }) },
  { name: "now → grace period", prepare: (w) => save(w, {}), act: (w) => save(w, { mode: "GRACE", graceDays: 7 }) },
  {
    name: "at next sign-in → grace period",
    prepare: (w) => save(w, { mode: "NEXT_SIGN_IN" }),
    act: (w) => save(w, { mode: "GRACE", graceDays: 7 }),
  },
  {
    name: "a longer grace period",
    prepare: (w) => save(w, { mode: "GRACE", graceDays: 7 }),
    act: (w) => save(w, { mode: "GRACE", graceDays: 14 }),
  },
  { name: "SSO exemption turned on", prepare: (w) => save(w, {}), act: (w) => save(w, { exemptSso: true }) },
  {
    name: "turn off while loosening nothing else (grace period running)",
    prepare: (w) => save(w, { mode: "GRACE", graceDays: 3 }),
    act: (w) => save(w, { requireTwoFactor: false, mode: "GRACE", graceDays: 3 }),
  },
  {
    name: "grant an exemption",
    act: (w) =>
      grantTwoFactorExemption(
        { actor: w.actor, input: { membershipId: w.member.membershipId, days: 7, reason: "new phone" }, context: ctx },
        { now: w.now },
      ),
  },
  {
    name: "extend an exemption",
    prepare: (w) =>
      db.membership.update({
        where: { id: w.member.membershipId },
        data: { twoFactorExemptUntil: new Date(w.now.getTime() + DAY), twoFactorExemptReason: "travel" },
      }),
    act: (w) =>
      grantTwoFactorExemption(
        { actor: w.actor, input: { membershipId: w.member.membershipId, days: 30, reason: "longer" }, context: ctx },
        { now: w.now },
      ),
  },
  {
    name: "stop alerting administrators when a member uses a recovery code (B4)",
    act: (w) => setRecoveryCodeAlert({ actor: w.actor, input: { enabled: false }, context: ctx }, { now: w.now }),
  },
  {
    name: "remember devices for more days (issue 11)",
    act: (w) =>
      setDeviceTrust(
        { actor: w.actor, input: { rememberDeviceDays: 14, riskBasedPrompt: false }, context: ctx },
        { now: w.now },
      ),
  },
  {
    name: "ask for a code only when a sign-in looks unusual (issue 11)",
    act: (w) =>
      setDeviceTrust(
        { actor: w.actor, input: { rememberDeviceDays: 0, riskBasedPrompt: true }, context: ctx },
        { now: w.now },
      ),
  },
  {
    name: "promote a member to Administrator",
    act: (w) =>
      changeRole(
        { actor: w.actor, input: { membershipId: w.member2.membershipId, role: "ADMIN" }, context: ctx },
        { tx: db, now: w.now },
      ),
  },
  {
    name: "transfer ownership",
    refusal: "INVALID_CODE_FORMAT",
    act: (w, { withCode }) =>
      transferOwnership(
        {
          actor: w.actor,
          input: {
            membershipId: w.admin.membershipId,
            password: PASSWORD,
            code: withCode ? totpAt(w.owner.secret, { time: at(w.now, 30).getTime() }) : "",
          },
          context: ctx,
        },
        { now: at(w.now, 30) },
      ),
  },
];

describe("S42: every weakening action needs a recent step-up; nothing changes without one", () => {
  it.each(weakening)("$name", async (c) => {
    const w = await world();
    if (c.prepare) await c.prepare(w);
    const before = await snapshot(w);
    expect(await codeOf(c.act(w, { withCode: false }))).toBe(c.refusal ?? "STEP_UP_REQUIRED");
    expect(await snapshot(w)).toBe(before);
    // A real step-up (a recovery code of the owner: the app's code of this minute went to the enrollment) unlocks it.
    await stepUp(
      { actor: w.actor, input: { method: "recovery", code: w.owner.recoveryCodes[0] ?? "" }, context: ctx },
      { now: w.now },
    );
    expect(await codeOf(c.act(w, { withCode: true }))).toBe("ok");
    expect(await snapshot(w)).not.toBe(before);
  });

  it("a step-up older than 10 minutes does not count", async () => {
    const w = await world();
    await stepUp(
      { actor: w.actor, input: { method: "recovery", code: w.owner.recoveryCodes[0] ?? "" }, context: ctx },
      { now: w.now },
    );
    const late = at(w.now, 10 * 60 + 1);
    const grant = () =>
      grantTwoFactorExemption(
        { actor: w.actor, input: { membershipId: w.member.membershipId, days: 7, reason: "phone" }, context: ctx },
        { now: late },
      );
    expect(await codeOf(grant())).toBe("STEP_UP_REQUIRED");
    expect(
      await codeOf(
        changeRole(
          { actor: w.actor, input: { membershipId: w.member2.membershipId, role: "ADMIN" }, context: ctx },
          { tx: db, now: late },
        ),
      ),
    ).toBe("STEP_UP_REQUIRED");
  });

  it("an admin without 2FA of their own is told to set it up (there is nothing to step up with)", async () => {
    const w = await world();
    const bare = await addMember({ userId: w.owner.userId, organizationId: w.org }, { role: "ADMIN", name: "Bo Bare" });
    const sessionId = await signIn(bare, w.now);
    const actor = { ...bare.actor, sessionId };
    const before = await snapshot(w);
    const error = await changeRole(
      { actor, input: { membershipId: w.member2.membershipId, role: "ADMIN" }, context: ctx },
      { tx: db, now: w.now },
    ).catch((e: unknown) => e);
    expect((error as DomainError).code).toBe("STEP_UP_NEEDS_OWN_TWO_FACTOR");
    expect((error as DomainError).message).toContain("Profile › Security");
    expect(await snapshot(w)).toBe(before);
  });

  it("tightening needs no step-up", async () => {
    const w = await world();
    const steps: [string, () => Promise<unknown>][] = [
      ["turn on: at next sign-in", () => save(w, { mode: "NEXT_SIGN_IN", exemptSso: true })],
      ["SSO exemption turned off", () => save(w, { mode: "NEXT_SIGN_IN", exemptSso: false })],
      ["at next sign-in → now", () => save(w, { mode: "NOW" })],
      [
        "turn off (with a step-up) and on again as a grace period",
        async () => {
          await stepUp(
            { actor: w.actor, input: { method: "recovery", code: w.owner.recoveryCodes[1] ?? "" }, context: ctx },
            { now: w.now },
          );
          await save(w, { requireTwoFactor: false });
          await db.session.update({ where: { id: w.actor.sessionId }, data: { stepUpAt: null } });
          return save(w, { mode: "GRACE", graceDays: 14 });
        },
      ],
      ["a shorter grace period", () => save(w, { mode: "GRACE", graceDays: 3 })],
      ["grace period → now", () => save(w, { mode: "NOW" })],
      [
        "remove an exemption",
        async () => {
          await db.membership.update({
            where: { id: w.member.membershipId },
            data: { twoFactorExemptUntil: new Date(w.now.getTime() + DAY) },
          });
          return revokeTwoFactorExemption(
            { actor: w.actor, input: { membershipId: w.member.membershipId }, context: ctx },
            { now: w.now },
          );
        },
      ],
      [
        "alert administrators of recovery codes again (after turning it off directly in the database)",
        async () => {
          await db.organization.update({ where: { id: w.org }, data: { alertAdminsOnRecoveryCode: false } });
          return setRecoveryCodeAlert({ actor: w.actor, input: { enabled: true }, context: ctx }, { now: w.now });
        },
      ],
      [
        "demote an administrator to Member",
        () =>
          changeRole(
            { actor: w.actor, input: { membershipId: w.admin.membershipId, role: "MEMBER" }, context: ctx },
            { tx: db, now: w.now },
          ),
      ],
    ];
    for (const [name, act] of steps) expect([name, await codeOf(act())]).toEqual([name, "ok"]);
    const org = await db.organization.findUniqueOrThrow({ where: { id: w.org } });
    expect(org).toMatchObject({ requireTwoFactor: true, enforcementMode: "NOW", exemptSso: false });
    expect((await db.membership.findUniqueOrThrow({ where: { id: w.admin.membershipId } })).role).toBe("MEMBER");
  });

  it("what counts as weakening the policy, including allowed methods widened (SMS is not selectable yet)", () => {
    const on = {
      requireTwoFactor: true,
      enforcementMode: "GRACE" as const,
      graceDays: 7,
      exemptSso: false,
      allowedMethods: ["TOTP" as const],
    };
    const same = {
      requireTwoFactor: true,
      mode: "GRACE" as const,
      graceDays: 7,
      exemptSso: false,
      allowedMethods: ["TOTP" as const],
    };
    expect(weakenings(on, same)).toEqual([]);
    expect(weakenings(on, { ...same, allowedMethods: ["TOTP", "SMS"] })).toEqual(["more methods"]);
    expect(weakenings(on, { ...same, allowedMethods: ["SMS"] })).toEqual(["more methods"]);
    expect(weakenings(on, { ...same, graceDays: 8 })).toEqual(["longer grace period"]);
    expect(weakenings(on, { ...same, graceDays: 6 })).toEqual([]);
    expect(weakenings(on, { ...same, mode: "NOW" })).toEqual([]);
    expect(weakenings(on, { ...same, mode: "NEXT_SIGN_IN" })).toEqual([]);
    expect(weakenings({ ...on, enforcementMode: "NOW" }, { ...same, mode: "NEXT_SIGN_IN" })).toEqual(["looser mode"]);
    expect(weakenings(on, { ...same, exemptSso: true })).toEqual(["SSO exemption on"]);
    expect(weakenings(on, { ...same, requireTwoFactor: false })).toEqual(["turned off"]);
    expect(
      weakenings({ ...on, requireTwoFactor: false }, { ...same, exemptSso: true, allowedMethods: ["TOTP", "SMS"] }),
    ).toEqual([]);
  });
});

describe("B6: the lockout guardrail", () => {
  /** The owner is the only owner/administrator with 2FA; an admin without it; a member without it, signed in. */
  async function lonely() {
    const t0 = new Date();
    const ownerBase = await createOrgWithOwner({ plan: "PROFESSIONAL", name: "Lonely Org" });
    const owner = await withTwoFactor(ownerBase, t0);
    const admin = await addMember(ownerBase.actor, { role: "ADMIN", name: "Ada NoFactor" });
    const member = await addMember(ownerBase.actor, { name: "Max Member" });
    await signIn(member, t0);
    const actor = { ...ownerBase.actor, sessionId: owner.sessionId } satisfies Actor;
    return { t0, now: at(t0, 60), org: ownerBase.organizationId, owner, admin, member, actor };
  }
  const orgRow = (id: string) => db.organization.findUniqueOrThrow({ where: { id } }).then((o) => JSON.stringify(o));
  const savePolicy = async (w: Awaited<ReturnType<typeof lonely>>, input: Partial<PolicyInput>) => {
    const { policyVersion } = await db.organization.findUniqueOrThrow({ where: { id: w.org } });
    return saveTwoFactorPolicy(
      { actor: w.actor, input: { ...base, expectedVersion: policyVersion, ...input }, context: ctx },
      { now: w.now },
    );
  };

  it("'sign out now' or a deadline is refused without the owner's explicit confirmation, saying why", async () => {
    const w = await lonely();
    const before = await orgRow(w.org);
    for (const input of [{ mode: "NOW" as const }, { mode: "GRACE" as const, graceDays: 7 }]) {
      const error = await savePolicy(w, input).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe("LOCKOUT_CONFIRMATION_REQUIRED");
      expect((error as DomainError).message).toContain("only owner or administrator with two-factor authentication");
      expect((error as DomainError).message).toContain("nobody in the organization can reset it");
      expect((error as DomainError).fields?.confirmSoleAdmin).toBeTruthy();
      expect(await orgRow(w.org)).toBe(before);
    }
    expect(await db.session.count({ where: { userId: w.member.userId, revokedAt: { not: null } } })).toBe(0);
    // "At next sign-in" locks nobody out at once: no confirmation needed.
    expect(await codeOf(savePolicy(w, { mode: "NEXT_SIGN_IN" }))).toBe("ok");
    // Changing it to "now" later asks again; confirmed, it applies.
    expect(await codeOf(savePolicy(w, { mode: "NOW" }))).toBe("LOCKOUT_CONFIRMATION_REQUIRED");
    const r = await savePolicy(w, { mode: "NOW", confirmSoleAdmin: true });
    expect(r.sessionsRevoked).toBe(1);
    expect((await db.organization.findUniqueOrThrow({ where: { id: w.org } })).enforcementMode).toBe("NOW");
  });

  it("is quiet when another owner or administrator has 2FA", async () => {
    const w = await lonely();
    await withTwoFactor({ userId: w.admin.userId, email: w.admin.email }, w.t0);
    expect(await codeOf(savePolicy(w, { mode: "NOW" }))).toBe("ok");
  });
});
