// Issue 11 against a real PostgreSQL: "remember this device" (S32: ≥128-bit token, only its hash stored, expiry from
// the organization's days; forgotten on every revoking event, each in the same transaction), the skip it grants
// (lower-assurance session, audited with its reason, item 4), the risk-based prompt on a fake clock, and the
// "new sign-in" mail.
import { describe, expect, it } from "vitest";
import { addMember, createOrgWithOwner, ctx, PASSWORD, withTwoFactor } from "@/test/factories";
import { mailData } from "@/test/mail";
import { allowUkSms, phoneContext, withPhone } from "@/test/phone";
import { latestText } from "@/test/sms";
import type { Actor } from "../../auth/actor";
import { hashToken } from "../../crypto/tokens";
import { totpAt } from "../../crypto/totp";
import { db } from "../../db";
import { DomainError } from "../../errors";
import { parseTeammatesQuery } from "../../validation/teammates";
import { changePassword } from "../accounts/change-password";
import { requestPasswordReset } from "../accounts/request-password-reset";
import { resetPassword } from "../accounts/reset-password";
import type { RequestContext } from "../audit/audit-log";
import { describeChallenge } from "../sign-in/challenge";
import { completeSignIn } from "../sign-in/complete-sign-in";
import { passwordStep } from "../sign-in/password-step";
import { resetTeammateTwoFactor } from "../teammates/reset-teammate-two-factor";
import { listTeammatesTable } from "../teammates/table";
import { confirmTotpEnrollment } from "../two-factor/confirm-enrollment";
import { disableTwoFactor } from "../two-factor/disable";
import { startTotpEnrollment } from "../two-factor/enrollment";
import { removePhone, sendPhoneDisableCode } from "../two-factor/phone-disable";
import { setDeviceTrust } from "./device-settings";
import { forgetAllMyRememberedDevices, forgetMyRememberedDevice, listMyRememberedDevices } from "./my-devices";
import { rememberDevicePolicy } from "./remembered-devices";

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof DomainError ? e.code : `unexpected: ${String(e)}`),
  );
const DAY = 86_400_000;
const later = (base: Date, ms: number) => new Date(base.getTime() + ms);
const GB: RequestContext = {
  ip: "81.2.69.142",
  userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36",
};
const GB_SAME_NET: RequestContext = { ...GB, ip: "81.2.69.17" };
const DE: RequestContext = { ...GB, ip: "193.99.144.80" };

/** An organization whose owner (2FA on, stepped up at t0) allows `days` of remembering; a member with 2FA. */
async function world(days = 14, opts: { risk?: boolean } = {}) {
  const t0 = new Date(Date.now() - 60 * DAY); // room for a fake clock running forward to "now"
  const base = await createOrgWithOwner();
  const owner = await withTwoFactor(base, t0);
  const ownerActor: Actor = { userId: owner.userId, organizationId: base.organizationId, sessionId: owner.sessionId };
  await setDeviceTrust(
    { actor: ownerActor, input: { rememberDeviceDays: days, riskBasedPrompt: opts.risk ?? false }, context: ctx },
    { now: later(t0, 1000) },
  );
  const member = await withTwoFactor(await addMember(base.actor, { name: "Max Member" }), t0);
  let step = 1;
  /** A fresh TOTP time step each call (replay protection remembers the last one). */
  const clock = (at?: Date) => (at ? at : later(t0, 60_000 * step++));
  return { t0, base, owner, ownerActor, member, clock, orgId: base.organizationId };
}

type Person = { email: string; secret: string; userId: string };

/** The password step, then (if asked) the code; returns what happened. */
async function signIn(
  p: Person,
  now: Date,
  opts: { context?: RequestContext; token?: string | null; remember?: boolean; code?: boolean } = {},
) {
  const context = opts.context ?? GB;
  const { challengeToken, requirement } = await passwordStep(
    { input: { email: p.email, password: PASSWORD, rememberedDeviceToken: opts.token ?? null }, context },
    { now },
  );
  if (requirement === "none") {
    const done = await completeSignIn({ input: { challengeToken }, context }, { now });
    return { requirement, ...done };
  }
  if (opts.code === false) return { requirement, sessionId: null, rememberedDevice: null };
  const done = await completeSignIn(
    {
      input: {
        challengeToken,
        secondFactor: { method: "totp", code: totpAt(p.secret, { time: now.getTime() }) },
        rememberDevice: opts.remember ?? false,
      },
      context,
    },
    { now },
  );
  return { requirement, ...done };
}

describe("remember this device (S32)", () => {
  it("stores only the sha256 of a 256-bit token, with user, organization, policy days and expiry", async () => {
    const w = await world(14);
    const t = w.clock();
    const first = await signIn(w.member, t, { remember: true });
    expect(first.requirement).toBe("second-factor");
    const token = first.rememberedDevice?.token ?? "";
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(first.rememberedDevice?.expiresAt.getTime()).toBe(t.getTime() + 14 * DAY);

    const rows = await db.rememberedDevice.findMany({ where: { userId: w.member.userId } });
    expect(rows).toHaveLength(1);
    const row = rows[0];
    expect(row?.tokenHash).toBe(hashToken(token));
    expect(row).toMatchObject({ organizationId: w.orgId, policyDays: 14, name: "Chrome on Linux", country: "GB" });
    // The raw token is in no column of the row.
    expect(JSON.stringify(row)).not.toContain(token);
    expect(
      await db.auditEvent.count({
        where: { organizationId: w.orgId, type: "device.remembered", actorId: w.member.userId },
      }),
    ).toBe(1);
  });

  it("skips the second step with the token (lower assurance, audited, last use updated) and never without it", async () => {
    const w = await world(14);
    const { rememberedDevice } = await signIn(w.member, w.clock(), { remember: true });
    const token = rememberedDevice?.token ?? "";
    const device = await db.rememberedDevice.findFirstOrThrow({ where: { userId: w.member.userId } });

    const t = later(w.t0, 2 * DAY);
    const skipped = await signIn(w.member, t, { token, context: DE });
    expect(skipped.requirement).toBe("none");
    const session = await db.session.findUniqueOrThrow({ where: { id: skipped.sessionId ?? "" } });
    expect(session).toMatchObject({
      lowerAssurance: true,
      secondFactorAt: null,
      authMethod: "password+remembered-device",
    });
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { organizationId: w.orgId, type: "signin.second_step_skipped", actorId: w.member.userId },
    });
    expect(audit.metadata).toEqual({ reason: "remembered-device", detail: device.id });
    const touched = await db.rememberedDevice.findUniqueOrThrow({ where: { id: device.id } });
    expect(touched.lastUsedAt.getTime()).toBe(t.getTime());
    expect(touched.country).toBe("DE");

    // No cookie, a forged token, another person's token, an expired one: the code is asked.
    expect((await signIn(w.member, w.clock(), { code: false })).requirement).toBe("second-factor");
    expect((await signIn(w.member, w.clock(), { token: `${token}x`, code: false })).requirement).toBe("second-factor");
    expect((await signIn(w.owner as Person, w.clock(), { token, code: false })).requirement).toBe("second-factor");
    expect((await signIn(w.member, later(w.t0, 15 * DAY), { token, code: false })).requirement).toBe("second-factor");
  });

  it("is not offered (and not created) when the organization's days are 0; several organizations: the minimum", async () => {
    const w = await world(0);
    const t = w.clock();
    const { challengeToken } = await passwordStep(
      { input: { email: w.member.email, password: PASSWORD }, context: GB },
      { now: t },
    );
    expect((await describeChallenge({ input: { challengeToken } }, { now: t }))?.rememberDeviceDays).toBe(0);
    const done = await completeSignIn(
      {
        input: {
          challengeToken,
          secondFactor: { method: "totp", code: totpAt(w.member.secret, { time: t.getTime() }) },
          rememberDevice: true,
        },
        context: GB,
      },
      { now: t },
    );
    expect(done.rememberedDevice).toBeNull();
    expect(await db.rememberedDevice.count({ where: { userId: w.member.userId } })).toBe(0);

    // The owner of a 30-day organization who is also a member of a 7-day one gets 7.
    const a = await world(30);
    const b = await world(7);
    await db.membership.create({ data: { organizationId: b.orgId, userId: a.member.userId, role: "MEMBER" } });
    expect(await rememberDevicePolicy(db, a.member.userId)).toEqual({ days: 7, organizationId: b.orgId });
    const { rememberedDevice } = await signIn(a.member, a.clock(), { remember: true });
    expect(
      await db.rememberedDevice.findUniqueOrThrow({ where: { tokenHash: hashToken(rememberedDevice?.token ?? "") } }),
    ).toMatchObject({
      organizationId: b.orgId,
      policyDays: 7,
    });
  });

  it("the Users table's optional column counts each member's unexpired remembered devices", async () => {
    const w = await world(30);
    await signIn(w.member, later(w.t0, 20 * DAY), { remember: true }); // 40 days ago: expired 10 days ago
    await signIn(w.member, new Date(Date.now() - 60_000), { remember: true });
    const table = await listTeammatesTable({ actor: w.ownerActor, input: { query: parseTeammatesQuery({}) } });
    const count = (userId: string) => table.rows.find((r) => r.userId === userId)?.rememberedDevices;
    expect(count(w.member.userId)).toBe(1);
    expect(count(w.owner.userId)).toBe(0);
  });

  it("a personal account outside any organization gets 30 days", async () => {
    const w = await world(14);
    await db.membership.updateMany({ where: { userId: w.member.userId }, data: { status: "REMOVED" } });
    expect(await rememberDevicePolicy(db, w.member.userId)).toEqual({ days: 30, organizationId: null });
  });
});

describe("remembered devices are forgotten in the same transaction as each revoking event (S28, S32)", () => {
  async function remembered() {
    const w = await world(14);
    const { rememberedDevice } = await signIn(w.member, w.clock(), { remember: true });
    const token = rememberedDevice?.token ?? "";
    const { sessionId } = await signIn(w.member, w.clock(), { token });
    expect(await db.rememberedDevice.count({ where: { userId: w.member.userId } })).toBe(1);
    const memberActor: Actor = { userId: w.member.userId, organizationId: w.orgId, sessionId: sessionId ?? null };
    const gone = async (reason: string) => {
      expect(await db.rememberedDevice.count({ where: { userId: w.member.userId } })).toBe(0);
      // The token no longer skips anything (without a factor left, nothing is skipped: there is no prompt).
      const { challengeToken } = await passwordStep(
        { input: { email: w.member.email, password: PASSWORD, rememberedDeviceToken: token }, context: GB },
        { now: w.clock() },
      );
      const challenge = await db.signInChallenge.findUniqueOrThrow({ where: { tokenHash: hashToken(challengeToken) } });
      expect(challenge.skipReason).toBeNull();
      if (reason)
        expect(
          await db.auditEvent.count({
            where: {
              type: "device.forgotten",
              targetId: w.member.userId,
              metadata: { path: ["reason"], equals: reason },
            },
          }),
        ).toBeGreaterThan(0);
    };
    return { w, token, memberActor, gone };
  }

  it("admin reset of the teammate's 2FA", async () => {
    const { w, gone } = await remembered();
    const membership = await db.membership.findFirstOrThrow({
      where: { userId: w.member.userId, organizationId: w.orgId },
    });
    await resetTeammateTwoFactor(
      { actor: w.ownerActor, input: { membershipId: membership.id }, context: ctx },
      { now: later(w.t0, 5 * 60_000) },
    );
    await gone("admin_reset");
  });

  it("turning 2FA off", async () => {
    const { w, memberActor, gone } = await remembered();
    const t = w.clock();
    await disableTwoFactor(
      {
        actor: memberActor,
        input: { method: "totp", code: totpAt(w.member.secret, { time: t.getTime() }), password: PASSWORD },
        context: GB,
      },
      { now: t },
    );
    await gone("two_factor_disabled");
  });

  it("removing the phone (issue 12: a factor change, the app stays)", async () => {
    const { w, memberActor, gone } = await remembered();
    await allowUkSms(w.orgId);
    const t = w.clock();
    const { phone } = await withPhone({ ...w.member, sessionId: memberActor.sessionId ?? undefined }, t);
    // Adding a phone is not a revoking event; removing it is.
    expect(await db.rememberedDevice.count({ where: { userId: w.member.userId } })).toBe(1);
    const context = phoneContext();
    const t2 = later(t, 60_000);
    await sendPhoneDisableCode({ actor: memberActor, context }, { now: t2 });
    const { code } = await latestText(phone);
    await removePhone(
      { actor: memberActor, input: { method: "sms", code, password: PASSWORD }, context },
      { now: later(t2, 1000) },
    );
    await gone("factor_changed");
  });

  it("moving to a new authenticator (factor replaced)", async () => {
    const { w, memberActor, gone } = await remembered();
    const t = w.clock();
    const enrollment = await startTotpEnrollment({ actor: memberActor, context: GB }, { now: t });
    const newSecret = new URL(enrollment.otpauthUri).searchParams.get("secret") ?? "";
    await confirmTotpEnrollment(
      {
        actor: memberActor,
        input: {
          password: PASSWORD,
          code: totpAt(newSecret, { time: t.getTime() }),
          current: { method: "totp", code: totpAt(w.member.secret, { time: t.getTime() }) },
        },
        context: GB,
      },
      { now: t },
    );
    w.member.secret = newSecret;
    await gone("factor_changed");
  });

  it("changing the password", async () => {
    const { w, memberActor } = await remembered();
    const t = w.clock();
    await changePassword(
      {
        actor: memberActor,
        input: {
          currentPassword: PASSWORD,
          newPassword: "a brand new passphrase 42",
          method: "totp",
          code: totpAt(w.member.secret, { time: t.getTime() }),
        },
        context: GB,
      },
      { now: t },
    );
    expect(await db.rememberedDevice.count({ where: { userId: w.member.userId } })).toBe(0);
    expect(
      await db.auditEvent.count({
        where: {
          type: "device.forgotten",
          targetId: w.member.userId,
          metadata: { path: ["reason"], equals: "password_changed" },
        },
      }),
    ).toBeGreaterThan(0);
  });

  it("resetting the password by email link", async () => {
    const { w } = await remembered();
    await requestPasswordReset({ input: { email: w.member.email }, context: GB });
    const mail = await db.outboxMessage.findFirstOrThrow({
      where: { to: w.member.email, template: "password-reset" },
      orderBy: { createdAt: "desc" },
    });
    const token = String(mailData<{ resetUrl?: string }>(mail).resetUrl ?? "").split("/reset-password/")[1] ?? "";
    await resetPassword({ input: { token, password: "a brand new passphrase 42" }, context: GB });
    expect(await db.rememberedDevice.count({ where: { userId: w.member.userId } })).toBe(0);
  });

  it("the person forgets one, or all, of their own devices (never someone else's)", async () => {
    const { w, memberActor, gone } = await remembered();
    const [device] = await listMyRememberedDevices({ actor: memberActor, input: {} }, { now: w.clock() });
    expect(
      await codeOf(
        forgetMyRememberedDevice({ actor: w.ownerActor, input: { deviceId: device?.id ?? "" }, context: ctx }),
      ),
    ).toBe("NOT_FOUND");
    await forgetMyRememberedDevice({ actor: memberActor, input: { deviceId: device?.id ?? "" }, context: GB });
    await gone("forgotten");
    await signIn(w.member, w.clock(), { remember: true });
    await signIn(w.member, w.clock(), { remember: true });
    expect((await forgetAllMyRememberedDevices({ actor: memberActor, context: GB })).count).toBe(2);
    expect(await db.rememberedDevice.count({ where: { userId: w.member.userId } })).toBe(0);
  });

  it("the organization lowers the days: older devices are forgotten, newer ones expire sooner; 0 forgets all", async () => {
    const w = await world(30);
    const old = await signIn(w.member, later(w.t0, 1 * DAY), { remember: true });
    const recent = await signIn(w.member, later(w.t0, 9 * DAY), { remember: true });
    const now = later(w.t0, 10 * DAY);
    const owner = { ...w.ownerActor, sessionId: null };
    // Lowering needs no step-up (it only tightens).
    const r = await setDeviceTrust(
      { actor: owner, input: { rememberDeviceDays: 5, riskBasedPrompt: false }, context: ctx },
      { now },
    );
    expect(r.devicesForgotten).toBe(1);
    const left = await db.rememberedDevice.findMany({ where: { userId: w.member.userId } });
    expect(left.map((d) => d.tokenHash)).toEqual([hashToken(recent.rememberedDevice?.token ?? "")]);
    expect(left[0]?.expiresAt.getTime()).toBe(later(w.t0, 14 * DAY).getTime());
    expect(
      (await signIn(w.member, later(now, 1000), { token: old.rememberedDevice?.token, code: false })).requirement,
    ).toBe("second-factor");
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { organizationId: w.orgId, type: "policy.remember_device_changed" },
      orderBy: { createdAt: "desc" },
    });
    expect(audit.metadata).toMatchObject({ from: 30, to: 5, forgotten: 1 });
    await setDeviceTrust(
      { actor: owner, input: { rememberDeviceDays: 0, riskBasedPrompt: false }, context: ctx },
      { now },
    );
    expect(await db.rememberedDevice.count({ where: { userId: w.member.userId } })).toBe(0);
  });
});

describe("organization setting (S42)", () => {
  it("validates 0–30, asks for a step-up before loosening, and audits each change", async () => {
    const w = await world(7);
    // A current session of the owner whose last step-up is not recent.
    const now = new Date();
    const { sessionId } = await signIn(w.owner as Person, now);
    await db.session.update({ where: { id: sessionId ?? "" }, data: { stepUpAt: null } });
    const stale: Actor = { ...w.ownerActor, sessionId: sessionId ?? null };
    const set = (input: { rememberDeviceDays: number; riskBasedPrompt: boolean }) =>
      codeOf(setDeviceTrust({ actor: stale, input, context: ctx }, { now }));
    expect(await set({ rememberDeviceDays: 31, riskBasedPrompt: false })).toBe("VALIDATION");
    expect(await set({ rememberDeviceDays: -1, riskBasedPrompt: false })).toBe("VALIDATION");
    expect(await set({ rememberDeviceDays: 1.5, riskBasedPrompt: false })).toBe("VALIDATION");
    expect(await set({ rememberDeviceDays: 8, riskBasedPrompt: false })).toBe("STEP_UP_REQUIRED");
    expect(await set({ rememberDeviceDays: 7, riskBasedPrompt: true })).toBe("STEP_UP_REQUIRED");
    expect(await set({ rememberDeviceDays: 3, riskBasedPrompt: false })).toBe("ok");
    const member: Actor = { userId: w.member.userId, organizationId: w.orgId, sessionId: w.member.sessionId };
    expect(
      await codeOf(
        setDeviceTrust(
          { actor: member, input: { rememberDeviceDays: 1, riskBasedPrompt: false }, context: ctx },
          { now },
        ),
      ),
    ).toBe("FORBIDDEN");
    expect(await db.organization.findUniqueOrThrow({ where: { id: w.orgId } })).toMatchObject({
      rememberDeviceDays: 3,
      riskBasedPrompt: false,
    });
  });
});

describe("risk-based prompt on a fake clock (issue 11 item 3)", () => {
  it("familiar after a pass from the same /24 and country; unfamiliar from another country, and after 30 days", async () => {
    const w = await world(0, { risk: true });
    const t1 = w.clock();
    expect((await signIn(w.member, t1, { context: GB })).requirement).toBe("second-factor");
    const familiar = await signIn(w.member, later(t1, 2 * DAY), { context: GB_SAME_NET });
    expect(familiar.requirement).toBe("none");
    expect(await db.session.findUniqueOrThrow({ where: { id: familiar.sessionId ?? "" } })).toMatchObject({
      lowerAssurance: true,
      authMethod: "password+familiar",
      country: "GB",
    });
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { type: "signin.second_step_skipped", actorId: w.member.userId },
    });
    expect(audit.metadata).toMatchObject({ reason: "familiar" });

    expect((await signIn(w.member, later(t1, 3 * DAY), { context: DE, code: false })).requirement).toBe(
      "second-factor",
    );
    expect(
      (await signIn(w.member, later(t1, 30 * DAY + 1000), { context: GB_SAME_NET, code: false })).requirement,
    ).toBe("second-factor");
    // Loopback has no country: never familiar.
    expect((await signIn(w.member, later(t1, 3 * DAY), { context: ctx, code: false })).requirement).toBe(
      "second-factor",
    );
  });

  it("off (the default) or off in one of the person's organizations: the code is always asked", async () => {
    const w = await world(0, { risk: false });
    const t1 = w.clock();
    await signIn(w.member, t1, { context: GB });
    expect((await signIn(w.member, later(t1, DAY), { context: GB_SAME_NET, code: false })).requirement).toBe(
      "second-factor",
    );
  });

  it("never skips for a person without a second factor (they still get no lower-assurance pass)", async () => {
    const w = await world(30, { risk: true });
    const noFactor = await addMember(w.base.actor, { name: "Nora NoFactor" });
    const { challengeToken, requirement } = await passwordStep(
      { input: { email: noFactor.email, password: PASSWORD }, context: GB },
      { now: w.clock() },
    );
    expect(requirement).toBe("none");
    const row = await db.signInChallenge.findUniqueOrThrow({ where: { tokenHash: hashToken(challengeToken) } });
    expect(row.skipReason).toBeNull();
  });

  it("mails 'new sign-in' for a passed second step from a new country, not from a known one", async () => {
    const w = await world(0, { risk: false });
    await signIn(w.member, w.clock(), { context: GB });
    const mails = () => db.outboxMessage.findMany({ where: { to: w.member.email, template: "new-sign-in" } });
    const before = new Set((await mails()).map((m) => m.id));
    await signIn(w.member, w.clock(), { context: GB_SAME_NET });
    expect((await mails()).length).toBe(before.size);
    await signIn(w.member, w.clock(), { context: DE });
    // The new mail by id (findMany has no order: "the last row" was sometimes the first sign-in's mail).
    const added = (await mails()).filter((m) => !before.has(m.id));
    expect(added).toHaveLength(1);
    expect(mailData(added[0])).toMatchObject({ place: "Germany", device: "Chrome on Linux", ip: DE.ip });
  });
});
