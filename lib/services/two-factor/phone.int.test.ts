// Issue 12 items 1–3 against a real PostgreSQL: adding a phone (password + texted code), changing the number (a code
// to the old number, then to the new one; each step refused out of order) and turning SMS off (refused while it is
// the only factor of someone whose organization requires 2FA). Codes are read from the texts queued in the outbox, as
// a person reads their phone (test/sms.ts opens the sealed text).
import { describe, expect, it } from "vitest";
import { addMember, createOrgWithOwner, PASSWORD, signIn, withTwoFactor } from "@/test/factories";
import { withPhone } from "@/test/phone";
import { latestText } from "@/test/sms";
import { totpAt } from "../../crypto/totp";
import { db } from "../../db";
import { DomainError } from "../../errors";
import { disableTwoFactor } from "./disable";
import {
  confirmNewNumber,
  confirmOldNumber,
  pendingPhoneChange,
  resendPhoneChangeNewCode,
  sendPhoneChangeOldCode,
} from "./phone-change";
import { removePhone, sendPhoneDisableCode } from "./phone-disable";
import { confirmPhoneEnrolment, sendPhoneEnrolmentCode } from "./phone-enrol";
import { twoFactorStatus } from "./status";

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof DomainError ? e.code : `unexpected: ${String(e)}`),
  );
const later = (t: Date, seconds: number) => new Date(t.getTime() + seconds * 1000);
/** Each person texts from their own network, so the per-IP cap of the suite's shared address never interferes. */
const contextFor = () => ({
  ip: `10.12.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
  userAgent: "vitest",
});
/** A fresh UK mobile number. (Ofcom's drama range +44 7700 900xxx is NOT a valid number for libphonenumber, so the
 *  numbers of test/sms.ts's uniqueMobile cannot be added through the parser.) */
const uniqueMobile = () => `+447400${String(Math.floor(Math.random() * 1_000_000)).padStart(6, "0")}`;
/** "+447400123456" as a person types it in the UK: "07400 123456". */
const national = (e164: string) => `0${e164.slice(3, 7)} ${e164.slice(7)}`;

/** An organization that allows SMS to the UK, and a member signed in twice (this browser and another device). */
async function setting(opts: { allowSms?: boolean } = {}) {
  const owner = await createOrgWithOwner({ plan: "PROFESSIONAL" });
  await db.organization.update({
    where: { id: owner.organizationId },
    data: { allowedMethods: opts.allowSms === false ? ["TOTP"] : ["TOTP", "SMS"], smsCountries: ["GB"] },
  });
  const member = await addMember(owner);
  const t0 = new Date();
  const sessionId = await signIn(member, t0);
  const otherSession = await signIn(member, t0);
  const actor = { userId: member.userId, organizationId: owner.organizationId, sessionId };
  return { owner, member, actor, otherSession, t0, context: contextFor() };
}

type Setting = Awaited<ReturnType<typeof setting>>;

/** Adds `phone` through the real flow at `at`; returns the recovery codes shown. */
async function addPhone(s: Setting, phone: string, at: Date) {
  await sendPhoneEnrolmentCode(
    { actor: s.actor, input: { number: national(phone), country: "GB" }, context: s.context },
    { now: at },
  );
  const { code } = await latestText(phone);
  return confirmPhoneEnrolment(
    { actor: s.actor, input: { password: PASSWORD, code }, context: s.context },
    { now: later(at, 5) },
  );
}

describe("adding a phone", () => {
  it("texts a code to a mobile number and adds it with the password and that code", async () => {
    const s = await setting();
    const phone = uniqueMobile();
    // Landlines and invalid numbers are refused before anything is texted, with the parser's words on the field.
    const landline = await sendPhoneEnrolmentCode(
      { actor: s.actor, input: { number: "020 7946 0018", country: "GB" }, context: s.context },
      { now: s.t0 },
    ).catch((e: unknown) => e);
    expect(landline).toBeInstanceOf(DomainError);
    expect((landline as DomainError).fields?.number).toMatch(/landline/);
    expect(await db.smsCode.count({ where: { userId: s.member.userId } })).toBe(0);

    const sent = await sendPhoneEnrolmentCode(
      { actor: s.actor, input: { number: national(phone), country: "GB" }, context: s.context },
      { now: s.t0 },
    );
    expect(sent.sentTo).toBe(`•••• ${phone.slice(-4)}`);
    const { code } = await latestText(phone);
    const t = later(s.t0, 20);
    const confirm = (input: { password: string; code: string }) =>
      codeOf(confirmPhoneEnrolment({ actor: s.actor, input, context: s.context }, { now: t }));
    expect(await confirm({ password: "wrong password", code })).toBe("INVALID_PASSWORD");
    const wrong = code === "000000" ? "000001" : "000000";
    expect(await confirm({ password: PASSWORD, code: wrong })).toBe("INVALID_CODE");
    expect(await db.phoneFactor.count({ where: { userId: s.member.userId } })).toBe(0);

    const added = await confirmPhoneEnrolment(
      { actor: s.actor, input: { password: PASSWORD, code }, context: s.context },
      { now: t },
    );
    expect(added.phone).toBe(`•••• ${phone.slice(-4)}`);
    // The first factor: ten recovery codes, shown once.
    expect(added.recoveryCodes).toHaveLength(10);
    const factor = await db.phoneFactor.findUniqueOrThrow({ where: { userId: s.member.userId } });
    expect(factor).toMatchObject({ phoneE164: phone, country: "GB" });
    // This session stays (passed 2FA now), the other one is signed out.
    const sessions = await db.session.findMany({
      where: { userId: s.member.userId },
      select: { id: true, revokedAt: true, secondFactorAt: true },
    });
    expect(sessions.find((x) => x.id === s.actor.sessionId)).toMatchObject({ revokedAt: null, secondFactorAt: t });
    expect(sessions.find((x) => x.id === s.otherSession)?.revokedAt).toEqual(t);
    // Audited and mailed in the same transaction; the status counts the phone as 2FA.
    expect(await db.auditEvent.count({ where: { actorId: s.member.userId, type: "2fa.phone_added" } })).toBe(1);
    expect(await db.auditEvent.count({ where: { actorId: s.member.userId, type: "2fa.enabled" } })).toBe(1);
    expect(await db.outboxMessage.count({ where: { to: s.member.email, template: "phone-added" } })).toBe(1);
    const status = await twoFactorStatus({ actor: s.actor });
    expect(status).toMatchObject({ anyFactor: true, enabled: false, recoveryCodesRemaining: 10 });
    expect(status.phone?.masked).toBe(`•••• ${phone.slice(-4)}`);

    // The code worked once; a second phone is refused.
    expect(await confirm({ password: PASSWORD, code })).toMatch(/INVALID_CODE|PHONE_ALREADY_ADDED/);
    expect(
      await codeOf(
        sendPhoneEnrolmentCode(
          { actor: s.actor, input: { number: uniqueMobile(), country: "GB" }, context: s.context },
          { now: later(t, 60) },
        ),
      ),
    ).toBe("PHONE_ALREADY_ADDED");
  });

  it("is refused when the organization does not allow SMS", async () => {
    const s = await setting({ allowSms: false });
    expect(
      await codeOf(
        sendPhoneEnrolmentCode(
          { actor: s.actor, input: { number: national(uniqueMobile()), country: "GB" }, context: s.context },
          { now: s.t0 },
        ),
      ),
    ).toBe("SMS_NOT_ALLOWED");
    expect(await db.smsCode.count({ where: { userId: s.member.userId } })).toBe(0);
  });

  it("50 parallel confirmations of one code add one phone", async () => {
    const s = await setting();
    const phone = uniqueMobile();
    await sendPhoneEnrolmentCode(
      { actor: s.actor, input: { number: phone, country: null }, context: s.context },
      { now: s.t0 },
    );
    const { code } = await latestText(phone);
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        codeOf(
          confirmPhoneEnrolment(
            { actor: s.actor, input: { password: PASSWORD, code }, context: s.context },
            { now: later(s.t0, 10) },
          ),
        ),
      ),
    );
    expect(results.filter((r) => r === "ok")).toHaveLength(1);
    expect(await db.auditEvent.count({ where: { actorId: s.member.userId, type: "2fa.phone_added" } })).toBe(1);
    expect(await db.outboxMessage.count({ where: { to: s.member.email, template: "phone-added" } })).toBe(1);
  });
});

describe("changing the number: the old number first, then the new one", () => {
  it("refuses every step out of order and changes the number after both codes", async () => {
    const s = await setting();
    const oldPhone = uniqueMobile();
    const newPhone = uniqueMobile();
    await addPhone(s, oldPhone, s.t0);
    let t = later(s.t0, 60);
    const step = {
      old: (code: string, number = national(newPhone)) =>
        codeOf(
          confirmOldNumber({ actor: s.actor, input: { code, number, country: "GB" }, context: s.context }, { now: t }),
        ),
      resend: () => codeOf(resendPhoneChangeNewCode({ actor: s.actor, context: s.context }, { now: t })),
      last: (code: string) =>
        codeOf(
          confirmNewNumber({ actor: s.actor, input: { code, password: PASSWORD }, context: s.context }, { now: t }),
        ),
    };

    // Nothing proven yet: the new number's steps are refused, and no code of another purpose opens them.
    expect(await step.resend()).toBe("PHONE_CHANGE_OLD_FIRST");
    expect(await step.last("123456")).toBe("PHONE_CHANGE_OLD_FIRST");
    expect(await step.old("123456")).toBe("INVALID_CODE");
    await sendPhoneDisableCode({ actor: s.actor, context: s.context }, { now: t });
    const disableCode = (await latestText(oldPhone)).code;
    expect(await step.old(disableCode)).toBe("INVALID_CODE");
    expect(await db.smsCode.count({ where: { userId: s.member.userId, purpose: "change-new" } })).toBe(0);

    // 1. a code to the old number.
    t = later(t, 40);
    const toOld = await sendPhoneChangeOldCode({ actor: s.actor, context: s.context }, { now: t });
    expect(toOld.sentTo).toBe(`•••• ${oldPhone.slice(-4)}`);
    const oldCode = (await latestText(oldPhone)).code;
    expect(await step.old(oldCode, national(oldPhone))).toBe("PHONE_SAME_NUMBER");
    expect(await step.old(oldCode, "020 7946 0018")).toBe("PHONE_INVALID");
    expect(await step.old(oldCode === "999999" ? "999998" : "999999")).toBe("INVALID_CODE");
    expect((await pendingPhoneChange({ actor: s.actor }, { now: t })).step).toBe("old");

    // 2. that code + the new number: a code goes to the new number.
    expect(await step.old(oldCode)).toBe("ok");
    expect(await step.old(oldCode)).toBe("INVALID_CODE"); // single use
    expect(await pendingPhoneChange({ actor: s.actor }, { now: t })).toMatchObject({
      step: "new",
      newNumber: `•••• ${newPhone.slice(-4)}`,
    });
    const newCode = (await latestText(newPhone)).code;
    // The old number's code does not confirm the new number.
    expect(await step.last(oldCode)).toBe("INVALID_CODE");
    expect((await db.phoneFactor.findUniqueOrThrow({ where: { userId: s.member.userId } })).phoneE164).toBe(oldPhone);

    // 3. the new number's code and the password.
    t = later(t, 30);
    const sessionsBefore = await db.session.count({ where: { userId: s.member.userId, revokedAt: null } });
    expect(await step.last(newCode)).toBe("ok");
    expect(await db.phoneFactor.findUniqueOrThrow({ where: { userId: s.member.userId } })).toMatchObject({
      phoneE164: newPhone,
      country: "GB",
    });
    expect(await db.session.count({ where: { userId: s.member.userId, revokedAt: null } })).toBe(1);
    expect(sessionsBefore).toBeGreaterThanOrEqual(1);
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { actorId: s.member.userId, type: "2fa.phone_changed" },
    });
    expect(audit.metadata).toMatchObject({ phoneLast4: newPhone.slice(-4), previousLast4: oldPhone.slice(-4) });
    expect(JSON.stringify(audit.metadata)).not.toContain(newPhone);
    expect(await db.outboxMessage.count({ where: { to: s.member.email, template: "phone-changed" } })).toBe(1);
    // Done: the proof does not open a second change, and the old number's pending codes died with it.
    expect(await step.resend()).toBe("PHONE_CHANGE_OLD_FIRST");
    expect(await step.last(newCode)).toBe("PHONE_CHANGE_OLD_FIRST");
    expect(await db.smsCode.count({ where: { userId: s.member.userId, phoneE164: oldPhone, consumedAt: null } })).toBe(
      0,
    );
  });

  it("the old number's proof expires: the new code must be confirmed within 15 minutes", async () => {
    const s = await setting();
    const oldPhone = uniqueMobile();
    const newPhone = uniqueMobile();
    await addPhone(s, oldPhone, s.t0);
    const t1 = later(s.t0, 60);
    await sendPhoneChangeOldCode({ actor: s.actor, context: s.context }, { now: t1 });
    const oldCode = (await latestText(oldPhone)).code;
    await confirmOldNumber(
      { actor: s.actor, input: { code: oldCode, number: newPhone }, context: s.context },
      { now: later(t1, 10) },
    );
    // A new code to the new number 14 minutes later is still allowed…
    await resendPhoneChangeNewCode({ actor: s.actor, context: s.context }, { now: later(t1, 14 * 60) });
    const newCode = (await latestText(newPhone)).code;
    // …but confirming it after the 15 minutes of the proof is refused, and the number stays.
    expect(
      await codeOf(
        confirmNewNumber(
          { actor: s.actor, input: { code: newCode, password: PASSWORD }, context: s.context },
          { now: later(t1, 16 * 60) },
        ),
      ),
    ).toBe("PHONE_CHANGE_OLD_FIRST");
    expect((await db.phoneFactor.findUniqueOrThrow({ where: { userId: s.member.userId } })).phoneE164).toBe(oldPhone);
  });
});

describe("turning SMS off", () => {
  it("needs the code texted to the number and the password; the only factor takes the recovery codes with it", async () => {
    const s = await setting();
    const phone = uniqueMobile();
    await addPhone(s, phone, s.t0);
    const t = later(s.t0, 60);
    await sendPhoneDisableCode({ actor: s.actor, context: s.context }, { now: t });
    const { code } = await latestText(phone);
    const remove = (input: { password: string; code: string }) =>
      codeOf(
        removePhone({ actor: s.actor, input: { ...input, method: "sms" }, context: s.context }, { now: later(t, 5) }),
      );
    expect(await remove({ password: PASSWORD, code: code === "111111" ? "111112" : "111111" })).toBe("INVALID_CODE");
    expect(await remove({ password: "nope", code })).toBe("INVALID_PASSWORD");
    expect(await db.phoneFactor.count({ where: { userId: s.member.userId } })).toBe(1);
    expect(await remove({ password: PASSWORD, code })).toBe("ok");
    expect(await db.phoneFactor.count({ where: { userId: s.member.userId } })).toBe(0);
    expect(await db.recoveryCode.count({ where: { userId: s.member.userId } })).toBe(0);
    expect(await db.auditEvent.count({ where: { actorId: s.member.userId, type: "2fa.phone_removed" } })).toBe(1);
    expect(await db.auditEvent.count({ where: { actorId: s.member.userId, type: "2fa.disabled" } })).toBe(1);
    expect(await db.outboxMessage.count({ where: { to: s.member.email, template: "phone-removed" } })).toBe(1);
    expect((await twoFactorStatus({ actor: s.actor })).anyFactor).toBe(false);
  });

  it("someone who lost the number removes it with a recovery code", async () => {
    const s = await setting();
    const phone = uniqueMobile();
    const { recoveryCodes } = await addPhone(s, phone, s.t0);
    const code = recoveryCodes?.[0] ?? "";
    expect(
      await codeOf(
        removePhone(
          { actor: s.actor, input: { password: PASSWORD, method: "recovery", code }, context: s.context },
          { now: later(s.t0, 60) },
        ),
      ),
    ).toBe("ok");
    expect(await db.phoneFactor.count({ where: { userId: s.member.userId } })).toBe(0);
  });

  it("is refused while the phone is the only factor and the organization requires 2FA", async () => {
    const s = await setting();
    const phone = uniqueMobile();
    await addPhone(s, phone, s.t0);
    await db.organization.update({
      where: { id: s.owner.organizationId },
      data: { requireTwoFactor: true, enforcementMode: "NEXT_SIGN_IN", requiredSince: s.t0, modeSince: s.t0 },
    });
    const t = later(s.t0, 60);
    await sendPhoneDisableCode({ actor: s.actor, context: s.context }, { now: t });
    const { code } = await latestText(phone);
    expect(
      await codeOf(
        removePhone(
          { actor: s.actor, input: { password: PASSWORD, method: "sms", code }, context: s.context },
          { now: t },
        ),
      ),
    ).toBe("PHONE_ONLY_FACTOR_REQUIRED");
    expect(await db.phoneFactor.count({ where: { userId: s.member.userId } })).toBe(1);
    // The code was not spent on the refusal.
    expect(await db.smsCode.count({ where: { userId: s.member.userId, purpose: "disable", consumedAt: null } })).toBe(
      1,
    );
  });
});

describe("a phone beside the app", () => {
  it("removing the app keeps 2FA on with the phone: the recovery codes stay, and the mail says so", async () => {
    const owner = await createOrgWithOwner({ plan: "PROFESSIONAL" });
    await db.organization.update({
      where: { id: owner.organizationId },
      data: {
        allowedMethods: ["TOTP", "SMS"],
        smsCountries: ["GB"],
      },
    });
    const t0 = new Date();
    const member = await withPhone(await withTwoFactor(await addMember(owner), t0), t0);
    // Required: removing the app is still allowed, because the phone (an allowed method) remains.
    await db.organization.update({
      where: { id: owner.organizationId },
      data: { requireTwoFactor: true, enforcementMode: "NEXT_SIGN_IN", requiredSince: t0, modeSince: t0 },
    });
    const actor = { userId: member.userId, organizationId: owner.organizationId, sessionId: member.sessionId };
    const codes = await db.recoveryCode.count({ where: { userId: member.userId } });
    expect(codes).toBe(10);
    const t = new Date(t0.getTime() + 90_000);
    await disableTwoFactor(
      {
        actor,
        input: { password: PASSWORD, method: "totp", code: totpAt(member.secret, { time: t.getTime() }) },
        context: contextFor(),
      },
      { now: t },
    );
    expect(await db.totpFactor.count({ where: { userId: member.userId } })).toBe(0);
    expect(await db.phoneFactor.count({ where: { userId: member.userId } })).toBe(1);
    expect(await db.recoveryCode.count({ where: { userId: member.userId } })).toBe(10);
    expect(await db.outboxMessage.count({ where: { to: member.email, template: "app-removed" } })).toBe(1);
    expect(await db.auditEvent.count({ where: { actorId: member.userId, type: "2fa.app_removed" } })).toBe(1);
    expect((await twoFactorStatus({ actor })).anyFactor).toBe(true);
  });
});
