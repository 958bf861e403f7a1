import type { Actor } from "../../auth/actor";
import { db } from "../../db";
import { DomainError, fieldError } from "../../errors";
import type { RequestContext } from "../audit/audit-log";
import { auditForUser } from "./audit-for-user";
import { markCurrentSessionVerified } from "./current-session";
import { checkEmailCode, consumeEmailCode } from "./email-codes";
import { enrollmentRequirements } from "./enrollment";
import { requirePassword } from "./password";
import {
  checkPhoneCode,
  consumePhoneCode,
  countryOf,
  mailPhoneEvent,
  type PhoneCodeInfo,
  parsePhoneField,
  requireSmsAllowed,
  textCode,
} from "./phone-common";
import { issueRecoveryCodes } from "./recovery";

// Adding a phone for SMS codes (issue 12 item 1): the number is parsed (mobile numbers only), a code is texted to it,
// and the phone is added once the person confirms with their password AND that code (plus, like an app setup that an
// organization forces, a code mailed to them: the attacker-enrols-first guard of issue 4 §5). A phone may be the only
// second factor or a backup beside the app. The number being added lives only in the texted code's row (SmsCode
// .phoneE164), so the confirmation adds exactly the number that received the code.

/** Texts an "enrol" code to the number of the form. Throws VALIDATION (the number), SMS_NOT_ALLOWED, PHONE_ALREADY_ADDED,
 *  SMS_LIMITED and SMS_COUNTRY_NOT_ALLOWED. */
export async function sendPhoneEnrolmentCode(
  {
    actor,
    input,
    context,
  }: { actor: Actor; input: { number: string; country?: string | null }; context: RequestContext },
  { now = new Date() }: { now?: Date } = {},
): Promise<PhoneCodeInfo> {
  const phone = parsePhoneField(input.number, input.country);
  return db.$transaction(async (tx) => {
    if (await tx.phoneFactor.findUnique({ where: { userId: actor.userId }, select: { userId: true } }))
      throw new DomainError("PHONE_ALREADY_ADDED");
    const organizationIds = await requireSmsAllowed(tx, actor.userId);
    return textCode(tx, { userId: actor.userId, phone, purpose: "enrol", organizationIds, context }, now);
  });
}

/**
 * Adds the phone that received the latest "enrol" code: needs the password (accounts that have one, outside a link
 * flow), the texted code, and the mailed code when the setup is forced. In one transaction: the code consumed, the
 * PhoneFactor created, ten recovery codes when it is the first factor (returned once), the current session marked as
 * having passed 2FA and the other sessions signed out, the audit rows and the "phone added" mail.
 */
export async function confirmPhoneEnrolment(
  {
    actor,
    input,
    context,
  }: {
    actor: Actor;
    input: { password?: string | null; code: string; emailCode?: string | null };
    context: RequestContext;
  },
  { now = new Date() }: { now?: Date } = {},
): Promise<{ phone: string; recoveryCodes: string[] | null }> {
  const { needsPassword, needsEmailCode } = await enrollmentRequirements({ actor }, { now });
  if (needsPassword && !input.password) throw fieldError("VALIDATION", { password: "CURRENT_PASSWORD_REQUIRED" });
  if (needsEmailCode && !input.emailCode?.trim())
    throw fieldError("EMAIL_CODE_REQUIRED", { emailCode: "EMAIL_CODE_REQUIRED" });
  if (!input.code.trim()) throw fieldError("VALIDATION", { code: "PHONE_CODE_REQUIRED" });
  if (needsPassword) await requirePassword(actor.userId, input.password ?? "", context, now);
  const emailCodeId = needsEmailCode ? await checkEmailCode(actor.userId, input.emailCode ?? "", now) : null;
  const checked = await checkPhoneCode({ userId: actor.userId, purpose: "enrol", code: input.code }, now);
  return db.$transaction(async (tx) => {
    await requireSmsAllowed(tx, actor.userId);
    await consumePhoneCode(tx, checked, now);
    const { phoneE164 } = checked;
    if (emailCodeId) await consumeEmailCode(tx, emailCodeId, now);
    const app = await tx.totpFactor.findUnique({ where: { userId: actor.userId }, select: { userId: true } });
    // The primary key makes a second phone (another tab, a parallel submit) fail here, rolling the code back.
    const existing = await tx.phoneFactor.findUnique({ where: { userId: actor.userId }, select: { userId: true } });
    if (existing) throw new DomainError("PHONE_ALREADY_ADDED");
    await tx.phoneFactor.create({
      data: { userId: actor.userId, phoneE164, country: countryOf(phoneE164), confirmedAt: now },
    });
    // A first factor gets its recovery codes (the way back without the phone); a backup phone keeps the app's set.
    const recoveryCodes = app ? null : await issueRecoveryCodes(tx, actor.userId, now);
    if (actor.sessionId)
      await tx.session.updateMany({
        where: { id: actor.sessionId, userId: actor.userId },
        data: { linkProofAt: null },
      });
    const revoked = await markCurrentSessionVerified(tx, actor, now, "clear");
    const phoneLast4 = phoneE164.slice(-4);
    await auditForUser(tx, actor.userId, "2fa.phone_added", context, {
      phoneLast4,
      otherSessionsRevoked: revoked,
      firstFactor: !app,
    });
    // Turning 2FA on (the first factor) is also the event the adoption history replays.
    if (!app)
      await auditForUser(tx, actor.userId, "2fa.enabled", context, { method: "sms", otherSessionsRevoked: revoked });
    await mailPhoneEvent(tx, actor.userId, "phone-added", context, now, { phoneLast4 });
    return { phone: `•••• ${phoneLast4}`, recoveryCodes };
  });
}
