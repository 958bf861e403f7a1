import type { Actor } from "../../auth/actor";
import { db, type Tx } from "../../db";
import { DomainError, fieldError } from "../../errors";
import { maskPhone } from "../../sms/phone";
import type { RequestContext } from "../audit/audit-log";
import { forgetAllDevicesOf } from "../trusted-access/remembered-devices";
import { auditForUser } from "./audit-for-user";
import { markCurrentSessionVerified } from "./current-session";
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

// Changing the number (issue 12 item 2), in order, each step refused out of order:
//   1. a code to the OLD number ("change-old");
//   2. that code + the new number → a code to the NEW number ("change-new");
//   3. that code + the password → the number is changed.
// The server-side proof of step 2 is the consumed change-old code's row: the change-new code is issued in the same
// transaction that consumed it and carries its id (SmsCode.challengeId). Only that transaction issues change-new codes,
// so no change-new code — and no number change — exists without a confirmed code from the old number, and the proof
// is good for PHONE_CHANGE_PROOF_MS and only while the old number is still the one on file. Someone who no longer has
// the old number removes the phone with a recovery code (phone-disable.ts) or asks an admin for a reset: there is no
// way around the old-number check.

/** How long a confirmed code from the old number lets the person finish the change. */
export const PHONE_CHANGE_PROOF_MS = 15 * 60_000;

async function currentPhone(tx: Tx, userId: string): Promise<{ e164: string; country: string }> {
  const phone = await tx.phoneFactor.findUnique({ where: { userId }, select: { phoneE164: true, country: true } });
  if (!phone) throw new DomainError("PHONE_NOT_ADDED");
  return { e164: phone.phoneE164, country: phone.country };
}

/** Step 1: texts a "change-old" code to the number on file. */
export async function sendPhoneChangeOldCode(
  { actor, context }: { actor: Actor; context: RequestContext },
  { now = new Date() }: { now?: Date } = {},
): Promise<PhoneCodeInfo> {
  return db.$transaction(async (tx) => {
    const phone = await currentPhone(tx, actor.userId);
    const organizationIds = await requireSmsAllowed(tx, actor.userId);
    return textCode(tx, { userId: actor.userId, phone, purpose: "change-old", organizationIds, context }, now);
  });
}

/** Step 2: the code from the old number and the new number; texts a "change-new" code to the new number. */
export async function confirmOldNumber(
  {
    actor,
    input,
    context,
  }: { actor: Actor; input: { code: string; number: string; country?: string | null }; context: RequestContext },
  { now = new Date() }: { now?: Date } = {},
): Promise<PhoneCodeInfo> {
  const next = parsePhoneField(input.number, input.country);
  const onFile = await currentPhone(db, actor.userId);
  if (next.e164 === onFile.e164) throw fieldError("PHONE_SAME_NUMBER", { number: { text: "Enter the new number." } });
  const proof = await checkPhoneCode({ userId: actor.userId, purpose: "change-old", code: input.code }, now);
  return db.$transaction(async (tx) => {
    const old = await currentPhone(tx, actor.userId);
    const organizationIds = await requireSmsAllowed(tx, actor.userId);
    await consumePhoneCode(tx, proof, now);
    // The code went to the number on file when it was sent; a number changed since (another tab) is not proven.
    if (proof.phoneE164 !== old.e164) throw new DomainError("PHONE_CHANGE_OLD_FIRST");
    return textCode(
      tx,
      { userId: actor.userId, phone: next, purpose: "change-new", organizationIds, context, challengeId: proof.codeId },
      now,
    );
  });
}

/** The latest change-new code whose old-number proof still holds, or null (the change must start again). */
async function provenChange(tx: Tx, userId: string, now: Date) {
  const latest = await tx.smsCode.findFirst({
    where: { userId, purpose: "change-new", challengeId: { not: null } },
    orderBy: { createdAt: "desc" },
    select: { id: true, phoneE164: true, challengeId: true, createdAt: true },
  });
  if (!latest?.challengeId) return null;
  const [proof, phone] = await Promise.all([
    tx.smsCode.findUnique({
      where: { id: latest.challengeId },
      select: { userId: true, purpose: true, phoneE164: true, consumedAt: true },
    }),
    tx.phoneFactor.findUnique({ where: { userId }, select: { phoneE164: true } }),
  ]);
  const fresh = proof?.consumedAt && now.getTime() - proof.consumedAt.getTime() < PHONE_CHANGE_PROOF_MS;
  if (!proof || proof.userId !== userId || proof.purpose !== "change-old" || !fresh) return null;
  // Proven for the number still on file, and not already applied.
  if (!phone || phone.phoneE164 !== proof.phoneE164 || phone.phoneE164 === latest.phoneE164) return null;
  return { proofId: latest.challengeId, newPhoneE164: latest.phoneE164, sentAt: latest.createdAt };
}

/** Where a change stands: step "new" (a code went to the new number after the old one was proven) or "old". */
export async function pendingPhoneChange(
  { actor }: { actor: Pick<Actor, "userId"> },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<{ step: "old" } | { step: "new"; newNumber: string; sentAt: Date }> {
  const change = await provenChange(tx, actor.userId, now);
  return change ? { step: "new", newNumber: maskPhone(change.newPhoneE164), sentAt: change.sentAt } : { step: "old" };
}

/** Step 2 again: a new code to the new number, only while the old number's proof holds (else PHONE_CHANGE_OLD_FIRST). */
export async function resendPhoneChangeNewCode(
  { actor, context }: { actor: Actor; context: RequestContext },
  { now = new Date() }: { now?: Date } = {},
): Promise<PhoneCodeInfo> {
  return db.$transaction(async (tx) => {
    const change = await provenChange(tx, actor.userId, now);
    if (!change) throw new DomainError("PHONE_CHANGE_OLD_FIRST");
    const organizationIds = await requireSmsAllowed(tx, actor.userId);
    const phone = { e164: change.newPhoneE164, country: countryOf(change.newPhoneE164) };
    return textCode(
      tx,
      { userId: actor.userId, phone, purpose: "change-new", organizationIds, context, challengeId: change.proofId },
      now,
    );
  });
}

/**
 * Step 3: the code from the new number and the password. Changes the number, voids the codes texted to the old one,
 * marks this session as having passed 2FA and signs out the others, audits and mails.
 */
export async function confirmNewNumber(
  {
    actor,
    input,
    context,
  }: { actor: Actor; input: { code: string; password?: string | null }; context: RequestContext },
  { now = new Date() }: { now?: Date } = {},
): Promise<{ phone: string }> {
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { passwordHash: true } });
  if (user.passwordHash !== null) {
    if (!input.password) throw fieldError("VALIDATION", { password: "CURRENT_PASSWORD_REQUIRED" });
    await requirePassword(actor.userId, input.password, context, now);
  }
  // Refused before any try is spent when there is no proof of the old number.
  if (!(await provenChange(db, actor.userId, now))) throw new DomainError("PHONE_CHANGE_OLD_FIRST");
  const checked = await checkPhoneCode({ userId: actor.userId, purpose: "change-new", code: input.code }, now);
  return db.$transaction(async (tx) => {
    // Lock the phone row: two confirmations in parallel change it once.
    await tx.$queryRaw`SELECT "userId" FROM "PhoneFactor" WHERE "userId" = ${actor.userId} FOR UPDATE`;
    const change = await provenChange(tx, actor.userId, now);
    if (!change) throw new DomainError("PHONE_CHANGE_OLD_FIRST");
    await consumePhoneCode(tx, checked, now);
    const row = await tx.smsCode.findUnique({ where: { id: checked.codeId }, select: { challengeId: true } });
    if (row?.challengeId !== change.proofId) throw new DomainError("PHONE_CHANGE_OLD_FIRST");
    const old = await currentPhone(tx, actor.userId);
    await tx.phoneFactor.update({
      where: { userId: actor.userId },
      data: { phoneE164: checked.phoneE164, country: countryOf(checked.phoneE164), confirmedAt: now, lastUsedAt: null },
    });
    // Codes still out for the old number (sign-in, turning off) die with it.
    await tx.smsCode.updateMany({
      where: { userId: actor.userId, consumedAt: null, phoneE164: old.e164 },
      data: { consumedAt: now },
    });
    const revoked = await markCurrentSessionVerified(tx, actor, now, "clear");
    const phoneLast4 = checked.phoneE164.slice(-4);
    const previousLast4 = old.e164.slice(-4);
    await auditForUser(tx, actor.userId, "2fa.phone_changed", context, {
      phoneLast4,
      previousLast4,
      otherSessionsRevoked: revoked,
    });
    // S32: a factor change forgets every remembered device (issue 11).
    await forgetAllDevicesOf(tx, { userId: actor.userId, reason: "factor_changed", context });
    await mailPhoneEvent(tx, actor.userId, "phone-changed", context, now, { phoneLast4, previousLast4 });
    return { phone: maskPhone(checked.phoneE164) };
  });
}
