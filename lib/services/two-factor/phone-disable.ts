import type { Actor } from "../../auth/actor";
import { db, type Tx } from "../../db";
import { DomainError, fieldError } from "../../errors";
import type { RequestContext } from "../audit/audit-log";
import { revokeUserSessions } from "../sessions/revoke-user-sessions";
import { forgetAllDevicesOf } from "../trusted-access/remembered-devices";
import { auditForUser } from "./audit-for-user";
import { disableRefusal } from "./disable";
import { requirePassword } from "./password";
import {
  checkPhoneCode,
  consumePhoneCode,
  mailPhoneEvent,
  type PhoneCodeInfo,
  smsOrganizations,
  textCode,
} from "./phone-common";
import { verifySecondFactor } from "./verification";

// Turning SMS off (issue 12 item 3): the password and a code sent to the number ("disable") — or, for someone who no
// longer has the number, a recovery code (or an app code when they have the app): the way out that "I no longer have
// the old number" points to. Refused while the phone is the person's only factor and an organization of theirs
// requires 2FA (as for the app, disable.ts). Removing the last factor turns 2FA off: the recovery codes go too.

/** Texts a "disable" code to the number on file (an organization that forbids SMS still lets a member remove it). */
export async function sendPhoneDisableCode(
  { actor, context }: { actor: Actor; context: RequestContext },
  { now = new Date() }: { now?: Date } = {},
): Promise<PhoneCodeInfo> {
  return db.$transaction(async (tx) => {
    const phone = await tx.phoneFactor.findUnique({ where: { userId: actor.userId } });
    if (!phone) throw new DomainError("PHONE_NOT_ADDED");
    const { organizationIds } = await smsOrganizations(tx, actor.userId);
    const target = { e164: phone.phoneE164, country: phone.country };
    return textCode(tx, { userId: actor.userId, phone: target, purpose: "disable", organizationIds, context }, now);
  });
}

/** Why this person may not remove their phone (it is their only factor and an organization requires 2FA), or null. */
export async function phoneRemovalRefusal(
  { actor }: { actor: Pick<Actor, "userId"> },
  { tx = db }: { tx?: Tx } = {},
): Promise<string | null> {
  const app = await tx.totpFactor.findUnique({ where: { userId: actor.userId }, select: { userId: true } });
  return app ? null : disableRefusal({ actor });
}

export type PhoneRemovalProof = { method: "sms" | "totp" | "recovery"; code: string };

/**
 * Removes the phone: the password (accounts that have one) and a proof — the texted "disable" code, or a recovery code
 * or app code checked by verifySecondFactor (counted by its failure counter, S9). In one transaction with the proof:
 * the phone and its pending codes removed, the recovery codes too when no app remains, other sessions signed out,
 * audited, mailed.
 */
export async function removePhone(
  {
    actor,
    input,
    context,
  }: { actor: Actor; input: PhoneRemovalProof & { password?: string | null }; context: RequestContext },
  { now = new Date() }: { now?: Date } = {},
): Promise<{ twoFactorOff: boolean }> {
  // An organization that requires 2FA keeps the last factor (S24); said before any code is checked.
  const requiredBy = await disableRefusal({ actor });
  const lastFactorRefused = () => new DomainError("PHONE_ONLY_FACTOR_REQUIRED", { detail: requiredBy ?? "" });
  if (requiredBy && !(await db.totpFactor.findUnique({ where: { userId: actor.userId }, select: { userId: true } })))
    throw lastFactorRefused();
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { passwordHash: true } });
  if (user.passwordHash !== null) {
    if (!input.password) throw fieldError("VALIDATION", { password: "CURRENT_PASSWORD_REQUIRED" });
    await requirePassword(actor.userId, input.password, context, now);
  }
  const remove = async (tx: Tx): Promise<{ twoFactorOff: boolean }> => {
    const phone = await tx.phoneFactor.findUnique({ where: { userId: actor.userId } });
    const { count } = await tx.phoneFactor.deleteMany({ where: { userId: actor.userId } });
    if (count !== 1 || !phone) throw new DomainError("PHONE_NOT_ADDED");
    // Re-checked inside the transaction: an app removed meanwhile (another tab) would make this the last factor.
    const app = await tx.totpFactor.findUnique({ where: { userId: actor.userId }, select: { userId: true } });
    if (!app && requiredBy) throw lastFactorRefused();
    await tx.smsCode.updateMany({ where: { userId: actor.userId, consumedAt: null }, data: { consumedAt: now } });
    if (!app) await tx.recoveryCode.deleteMany({ where: { userId: actor.userId } });
    const revoked = await revokeUserSessions(
      tx,
      { userId: actor.userId, exceptSessionId: actor.sessionId, reason: "two_factor_changed" },
      now,
    );
    const phoneLast4 = phone.phoneE164.slice(-4);
    await auditForUser(tx, actor.userId, "2fa.phone_removed", context, {
      phoneLast4,
      confirmedWith: input.method,
      otherSessionsRevoked: revoked,
    });
    if (!app)
      await auditForUser(tx, actor.userId, "2fa.disabled", context, { method: "sms", otherSessionsRevoked: revoked });
    // S32: 2FA off, or a factor removed, forgets every remembered device (issue 11).
    await forgetAllDevicesOf(tx, {
      userId: actor.userId,
      reason: app ? "factor_changed" : "two_factor_disabled",
      context,
    });
    await mailPhoneEvent(tx, actor.userId, "phone-removed", context, now, { phoneLast4, stillProtected: Boolean(app) });
    return { twoFactorOff: !app };
  };
  if (input.method === "sms") {
    const checked = await checkPhoneCode({ userId: actor.userId, purpose: "disable", code: input.code }, now);
    return db.$transaction(async (tx) => {
      await consumePhoneCode(tx, checked, now);
      return remove(tx);
    });
  }
  const { result } = await verifySecondFactor(
    actor.userId,
    { method: input.method, code: input.code },
    { purpose: "disable", context, now },
    remove,
  );
  return result;
}
