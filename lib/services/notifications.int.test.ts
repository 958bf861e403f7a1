// Issue 10, item 8 against a real PostgreSQL: a mail for every event, to the right people, in the same transaction as
// the change — exemptions (granted, changed, ended), the SSO exemption removed, the administrators' alert when a
// member signs in with a recovery code (and its organization setting), moving to a new phone, and the "code reused"
// alert only when the reuse comes from another browser or network.
import { describe, expect, it } from "vitest";
import { addMember, createOrgWithOwner, ctx, PASSWORD, signIn, steppedUp, withTwoFactor } from "@/test/factories";
import { mailData } from "@/test/mail";
import type { Actor } from "../auth/actor";
import { totpAt } from "../crypto/totp";
import { db } from "../db";
import { DomainError } from "../errors";
import { saveTwoFactorPolicy } from "./org-policy/change";
import { grantTwoFactorExemption, revokeTwoFactorExemption } from "./org-policy/exemptions";
import type { PolicyInput } from "./org-policy/plan-input";
import { setRecoveryCodeAlert } from "./org-policy/recovery-code-alert-setting";
import { completeSignIn } from "./sign-in/complete-sign-in";
import { passwordStep } from "./sign-in/password-step";
import { confirmTotpEnrollment } from "./two-factor/confirm-enrollment";
import { startTotpEnrollment } from "./two-factor/enrollment";
import { stepUp } from "./two-factor/step-up";

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof DomainError ? e.code : `unexpected: ${String(e)}`),
  );
const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);
const DAY = 24 * 3600_000;
const CHROME_MAC =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** A mark in the outbox (the tests run on a fake clock, the outbox's createdAt is the real one). */
const mark = async () => (await db.outboxMessage.findMany({ select: { id: true } })).map((r) => r.id);

/** Every mail queued to these addresses after `since` (a mark), sorted by recipient and template. */
async function mailsTo(emails: string[], since: string[]) {
  const rows = await db.outboxMessage.findMany({
    where: { to: { in: emails }, id: { notIn: since } },
    orderBy: [{ to: "asc" }, { template: "asc" }],
  });
  return rows.map((r) => ({ to: r.to, template: r.template, data: mailData<Record<string, unknown>>(r) }));
}
const kinds = (mails: Awaited<ReturnType<typeof mailsTo>>) =>
  mails.map((m) => [m.to, m.template, ...(m.data.kind ? [m.data.kind] : [])]);

async function signInWith(
  email: string,
  secondFactor: { method: "totp" | "recovery"; code: string },
  now: Date,
  context = ctx,
) {
  const { challengeToken } = await passwordStep({ input: { email, password: PASSWORD }, context }, { tx: db, now });
  return codeOf(completeSignIn({ input: { challengeToken, secondFactor }, context }, { now }));
}

describe("exemptions: the member is told when one is granted, changed and ended", () => {
  it("granted → changed → ended, each to the member only, with who, until when and what to do", async () => {
    const t0 = new Date();
    const owner = await createOrgWithOwner({ plan: "PROFESSIONAL", name: "Exempt Org" });
    const ownerWith2fa = await withTwoFactor(owner, t0);
    const admin = await addMember(owner.actor, { role: "ADMIN", name: "Ada Admin" });
    const member = await addMember(owner.actor, { name: "Max Member" });
    // The organization requires 2FA: when the exemption ends, Max must set it up.
    const { policyVersion } = await db.organization.findUniqueOrThrow({ where: { id: owner.organizationId } });
    await saveTwoFactorPolicy(
      {
        actor: { ...owner.actor, sessionId: ownerWith2fa.sessionId },
        input: {
          requireTwoFactor: true,
          mode: "NEXT_SIGN_IN",
          exemptSso: true,
          allowedMethods: ["TOTP"],
          expectedVersion: policyVersion,
        },
        context: ctx,
      },
      { now: t0 },
    );
    const now = at(t0, 60);
    const actor = await steppedUp(admin, now);
    const everyone = [owner.email, admin.email, member.email];

    let since = await mark();
    await grantTwoFactorExemption(
      { actor, input: { membershipId: member.membershipId, days: 7, reason: "new phone next week" }, context: ctx },
      { now },
    );
    let mails = await mailsTo(everyone, since);
    expect(kinds(mails)).toEqual([[member.email, "exemption-granted"]]);
    expect(mails[0]?.data).toMatchObject({
      name: "Max Member",
      adminName: "Ada Admin",
      organizationName: "Exempt Org",
      until: new Date(now.getTime() + 7 * DAY).toISOString(),
      reason: "new phone next week",
      hasTwoFactor: false,
    });

    const later = at(now, 120);
    since = await mark();
    await grantTwoFactorExemption(
      { actor, input: { membershipId: member.membershipId, days: 14, reason: "phone delayed" }, context: ctx },
      { now: later },
    );
    mails = await mailsTo(everyone, since);
    expect(kinds(mails)).toEqual([[member.email, "exemption-changed"]]);
    expect(mails[0]?.data).toMatchObject({
      until: new Date(later.getTime() + 14 * DAY).toISOString(),
      previousUntil: new Date(now.getTime() + 7 * DAY).toISOString(),
    });

    const end = at(later, 60);
    since = await mark();
    await revokeTwoFactorExemption({ actor, input: { membershipId: member.membershipId }, context: ctx }, { now: end });
    mails = await mailsTo(everyone, since);
    expect(kinds(mails)).toEqual([[member.email, "exemption-ended"]]);
    expect(mails[0]?.data).toMatchObject({ mustSetUp: true, hasTwoFactor: false, adminName: "Ada Admin" });
    expect(String(mails[0]?.data.setupUrl)).toContain("/profile/security/two-factor/setup");

    // A refused change mails nobody.
    const refused = at(end, 1);
    since = await mark();
    expect(
      await codeOf(
        revokeTwoFactorExemption(
          { actor, input: { membershipId: member.membershipId }, context: ctx },
          { now: refused },
        ),
      ),
    ).toBe("NO_EXEMPTION");
    expect(await mailsTo(everyone, since)).toEqual([]);
  });
});

describe("SSO exemption removed: SSO members without 2FA are told they must now set it up", () => {
  async function ssoWorld() {
    const t0 = new Date();
    const ownerBase = await createOrgWithOwner({ plan: "PROFESSIONAL", name: "SSO Org" });
    const owner = await withTwoFactor(ownerBase, t0);
    const actor: Actor = { ...ownerBase.actor, sessionId: owner.sessionId };
    await withTwoFactor(await addMember(ownerBase.actor, { role: "ADMIN" }), t0); // the lockout guardrail stays quiet
    const ssoBare = await addMember(ownerBase.actor, { name: "Sam Sso" });
    const ssoWith2fa = await withTwoFactor(await addMember(ownerBase.actor, { name: "Sue Sso" }), t0);
    const passwordBare = await addMember(ownerBase.actor, { name: "Pat Password" });
    await db.user.updateMany({
      where: { id: { in: [ssoBare.userId, ssoWith2fa.userId] } },
      data: { signInMethod: "SSO" },
    });
    const save = async (input: Partial<PolicyInput>, now: Date) => {
      const { policyVersion } = await db.organization.findUniqueOrThrow({ where: { id: ownerBase.organizationId } });
      return saveTwoFactorPolicy(
        {
          actor,
          input: {
            requireTwoFactor: true,
            mode: "NEXT_SIGN_IN",
            exemptSso: true,
            allowedMethods: ["TOTP"],
            expectedVersion: policyVersion,
            ...input,
          },
          context: ctx,
        },
        { now },
      );
    };
    await save({}, t0);
    const emails = [owner.email, ssoBare.email, ssoWith2fa.email, passwordBare.email];
    return { t0, save, emails, ssoBare, ssoWith2fa, passwordBare };
  }

  it("only the SSO member without 2FA gets the mail, with the setup link; the change is audited", async () => {
    const w = await ssoWorld();
    const now = at(w.t0, 60);
    const since = await mark();
    const r = await w.save({ exemptSso: false }, now);
    const mails = await mailsTo(w.emails, since);
    expect(kinds(mails)).toEqual([[w.ssoBare.email, "org-two-factor", "sso-exemption-removed"]]);
    expect(mails[0]?.data).toMatchObject({ name: "Sam Sso", organizationName: "SSO Org", mode: "NEXT_SIGN_IN" });
    expect(String(mails[0]?.data.setupUrl)).toContain("/profile/security/two-factor/setup");
    expect(r.mailsQueued).toBe(1);
  });

  it("with a mode change at the same time, the SSO member gets only the SSO mail, the others the 'changed' one", async () => {
    const w = await ssoWorld();
    const now = at(w.t0, 60);
    const since = await mark();
    await w.save({ exemptSso: false, mode: "NOW", confirmSoleAdmin: true }, now);
    expect(kinds(await mailsTo(w.emails, since))).toEqual(
      [
        [w.passwordBare.email, "org-two-factor", "changed"],
        [w.ssoBare.email, "org-two-factor", "sso-exemption-removed"],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  });
});

describe("B4: administrators are alerted when a member signs in with a recovery code", () => {
  async function alertWorld() {
    const t0 = new Date();
    const ownerBase = await createOrgWithOwner({ plan: "PROFESSIONAL", name: "Alert Org" });
    const owner = await withTwoFactor(ownerBase, t0, { stepUp: false });
    const admin = await addMember(ownerBase.actor, { role: "ADMIN", name: "Ada Admin" });
    const member = await withTwoFactor(await addMember(ownerBase.actor, { name: "Max Member" }), t0);
    const bystander = await addMember(ownerBase.actor, { name: "Mia Member" });
    const other = await createOrgWithOwner({ name: "Other Org" }); // not Max's organization: never told
    const actor: Actor = { ...ownerBase.actor, sessionId: owner.sessionId };
    const emails = [owner.email, admin.email, member.email, bystander.email, other.email];
    return { t0, org: ownerBase.organizationId, owner, admin, member, bystander, other, actor, emails };
  }

  it("on by default: every owner and administrator, not the member's peers nor other organizations", async () => {
    const w = await alertWorld();
    expect((await db.organization.findUniqueOrThrow({ where: { id: w.org } })).alertAdminsOnRecoveryCode).toBe(true);
    const now = at(w.t0, 60);
    const browser = { ip: "203.0.113.9", userAgent: CHROME_MAC };
    const since = await mark();
    expect(
      await signInWith(w.member.email, { method: "recovery", code: w.member.recoveryCodes[0] ?? "" }, now, browser),
    ).toBe("ok");
    const mails = await mailsTo(w.emails, since);
    expect(kinds(mails)).toEqual(
      [
        [w.owner.email, "recovery-code-admin-alert"],
        [w.admin.email, "recovery-code-admin-alert"],
        // Issue 11: the member's first sign-in from this browser (Chrome on macOS) also mails "new sign-in".
        [w.member.email, "new-sign-in"],
        [w.member.email, "recovery-code-used"],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    const alert = mails.find((m) => m.to === w.admin.email)?.data;
    expect(alert).toMatchObject({
      name: "Ada Admin",
      memberName: "Max Member",
      memberEmail: w.member.email,
      organizationName: "Alert Org",
      remaining: 9,
      ip: "203.0.113.9",
      at: now.toISOString(),
    });
  });

  it("a sign-in with the app alerts nobody; a failed recovery code alerts nobody", async () => {
    const w = await alertWorld();
    const now = at(w.t0, 60);
    const since = await mark();
    expect(
      await signInWith(w.member.email, { method: "totp", code: totpAt(w.member.secret, { time: now.getTime() }) }, now),
    ).toBe("ok");
    expect(await signInWith(w.member.email, { method: "recovery", code: "aaaaa-bbbbb-ccccc-ddddd" }, at(now, 1))).toBe(
      "INVALID_CODE",
    );
    expect((await mailsTo(w.emails, since)).filter((m) => m.template === "recovery-code-admin-alert")).toEqual([]);
  });

  it("the setting: turning it off needs a step-up and is audited; off → no admin alert; on again needs none", async () => {
    const w = await alertWorld();
    const now = at(w.t0, 60);
    const set = (enabled: boolean, actor: Actor = w.actor, when = now) =>
      codeOf(setRecoveryCodeAlert({ actor, input: { enabled }, context: ctx }, { now: when }));
    const audits = () =>
      db.auditEvent.findMany({
        where: { organizationId: w.org, type: "policy.recovery_code_alert_changed" },
        orderBy: { createdAt: "asc" },
        select: { actorId: true, metadata: true },
      });
    // A member may not; off without a step-up is refused and changes nothing.
    expect(await set(false, { ...w.bystander.actor, sessionId: await signIn(w.bystander, now) })).toBe("FORBIDDEN");
    expect(await set(false)).toBe("STEP_UP_REQUIRED");
    expect((await db.organization.findUniqueOrThrow({ where: { id: w.org } })).alertAdminsOnRecoveryCode).toBe(true);
    expect(await audits()).toEqual([]);
    // Saving the value it has changes nothing and writes nothing.
    expect(await set(true)).toBe("ok");
    expect(await audits()).toEqual([]);

    await stepUp(
      { actor: w.actor, input: { method: "recovery", code: w.owner.recoveryCodes[0] ?? "" }, context: ctx },
      { now },
    );
    expect(await set(false)).toBe("ok");
    expect(await audits()).toEqual([{ actorId: w.owner.userId, metadata: { enabled: false } }]);

    const t = at(now, 30);
    const since = await mark();
    expect(await signInWith(w.member.email, { method: "recovery", code: w.member.recoveryCodes[1] ?? "" }, t)).toBe(
      "ok",
    );
    expect(kinds(await mailsTo(w.emails, since))).toEqual([[w.member.email, "recovery-code-used"]]);

    // Turning it back on tightens: no step-up needed (even an old one).
    expect(await set(true, w.actor, at(now, 3600))).toBe("ok");
    expect((await audits()).map((a) => a.metadata)).toEqual([{ enabled: false }, { enabled: true }]);
  });
});

describe("moving to a new phone has its own mail", () => {
  it("'two-factor-replaced' (not 'two-factor-enabled') to the person, and it says the codes were replaced", async () => {
    const t0 = new Date();
    const owner = await withTwoFactor(await createOrgWithOwner(), t0);
    const enabledMail = await db.outboxMessage.count({ where: { to: owner.email, template: "two-factor-enabled" } });
    expect(enabledMail).toBe(1); // the first setup
    const actor = { userId: owner.userId, sessionId: owner.sessionId, organizationId: null };
    const pending = await startTotpEnrollment({ actor, context: ctx }, { now: at(t0, 60) });
    const secret = new URL(pending.otpauthUri).searchParams.get("secret") ?? "";
    const t = at(t0, 90);
    const since = await mark();
    const r = await confirmTotpEnrollment(
      {
        actor,
        input: {
          password: PASSWORD,
          code: totpAt(secret, { time: t.getTime() }),
          current: { method: "recovery", code: owner.recoveryCodes[0] ?? "" },
        },
        context: { ip: "203.0.113.9", userAgent: CHROME_MAC },
      },
      { now: t },
    );
    expect(r.reenrolled).toBe(true);
    const mails = await mailsTo([owner.email], since);
    expect(mails.map((m) => m.template).sort()).toEqual(["recovery-code-used", "two-factor-replaced"]);
    expect(mails.find((m) => m.template === "two-factor-replaced")?.data).toMatchObject({
      ip: "203.0.113.9",
      userAgent: CHROME_MAC,
      at: t.toISOString(),
    });
  });
});

describe("'code reused' (S7): alert only when the second use comes from another browser or network", () => {
  async function twice(second: { ip: string; userAgent: string }, gapSeconds = 10) {
    const t0 = new Date();
    const u = await withTwoFactor(await addMember((await createOrgWithOwner()).actor), t0);
    const first = { ip: "203.0.113.9", userAgent: CHROME_MAC };
    const t = at(t0, 60);
    const code = totpAt(u.secret, { time: t.getTime() });
    expect(await signInWith(u.email, { method: "totp", code }, t, first)).toBe("ok");
    const again = at(t, gapSeconds);
    const outcome = await signInWith(u.email, { method: "totp", code }, again, second);
    const replayAudits = await db.auditEvent.findMany({
      where: { targetId: u.userId, type: "2fa.replay" },
      select: { metadata: true },
    });
    const replayMails = await db.outboxMessage.count({ where: { to: u.email, template: "totp-replay" } });
    return { outcome, replayAudits, replayMails };
  }

  it("same browser, same network, within 30 s: 'wait for the next code', audited, no mail", async () => {
    const r = await twice({ ip: "203.0.113.77", userAgent: CHROME_MAC }); // another address in the same /24
    expect(r.outcome).toBe("INVALID_CODE");
    expect(r.replayAudits).toHaveLength(1);
    expect(r.replayAudits[0]?.metadata).toMatchObject({ sameClient: true });
    expect(r.replayMails).toBe(0);
  });

  it("the page says to wait for the next code", async () => {
    const t0 = new Date();
    const u = await withTwoFactor(await createOrgWithOwner(), t0);
    const t = at(t0, 60);
    const code = totpAt(u.secret, { time: t.getTime() });
    expect(await signInWith(u.email, { method: "totp", code }, t)).toBe("ok");
    const { challengeToken } = await passwordStep(
      { input: { email: u.email, password: PASSWORD }, context: ctx },
      { tx: db, now: t },
    );
    const error = await completeSignIn(
      { input: { challengeToken, secondFactor: { method: "totp", code } }, context: ctx },
      { now: at(t, 5) },
    ).catch((e: unknown) => e);
    expect((error as DomainError).fields?.code).toMatch(/Wait for the next code/);
  });

  it.each([
    [
      "another browser",
      { ip: "203.0.113.9", userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0" },
    ],
    ["another network", { ip: "198.51.100.7", userAgent: CHROME_MAC }],
  ])("from %s: refused, audited and mailed", async (_name, second) => {
    const r = await twice(second);
    expect(r.outcome).toBe("INVALID_CODE");
    expect(r.replayAudits).toHaveLength(1);
    expect(r.replayAudits[0]?.metadata).not.toHaveProperty("sameClient");
    expect(r.replayMails).toBe(1);
  });
});
