import type { Actor } from "../../auth/actor";
import { decryptSecret } from "../../crypto/encryption";
import { matchTotp, normalizeTotpInput } from "../../crypto/totp";
import { db, type Tx } from "../../db";
import { DomainError, type ErrorCode, type FieldMessageKey, fieldError, fieldMessages } from "../../errors";
import type { RequestContext } from "../audit/audit-log";
import { enqueueMail, securityNoticeData } from "../outbox/outbox";
import { forgetAllDevicesOf } from "../trusted-access/remembered-devices";
import { auditForUser } from "./audit-for-user";
import { markCurrentSessionVerified } from "./current-session";
import { checkEmailCode, consumeEmailCode } from "./email-codes";
import { enrollmentRequirements } from "./enrollment";
import type { SecondFactorInput } from "./factor-types";
import { requirePassword } from "./password";
import { issueRecoveryCodes } from "./recovery";
import { clientFingerprint } from "./same-client";
import { verifySecondFactor } from "./verification";

/**
 * Confirms the pending enrollment with the current password and a code from the new secret. Turns 2FA on (or moves
 * it to the new app), issues 10 recovery codes (returned once, S14: recovery codes are shown once), revokes the other
 * sessions. Moving to a new app (a factor exists) also needs `current`: a code from the current app or a recovery code,
 * checked by verifySecondFactor in the same transaction as the switch (S39: replacing a factor needs the current one;
 * CURRENT_FACTOR_REQUIRED without it). The session is marked as having passed 2FA, never as stepped up.
 */
export async function confirmTotpEnrollment(
  {
    actor,
    input,
    context,
  }: {
    actor: Actor;
    input: { password: string; code: string; emailCode?: string | null; current?: SecondFactorInput | null };
    context: RequestContext;
  },
  // No `tx`: moving to a new app runs in verifySecondFactor's own transaction (a failure is counted after its
  // rollback).
  { now = new Date() }: { now?: Date } = {},
): Promise<{ recoveryCodes: string[]; reenrolled: boolean }> {
  // Inside a link flow (the session row says so) no password and no emailed code are asked (issue 10 item 7).
  const { needsPassword, needsEmailCode, needsCurrentFactor } = await enrollmentRequirements({ actor }, { now });
  const current = input.current?.code?.trim() ? input.current : null;
  // Every field's problem at once, not one per submit (issue 10 item 7): first what is missing…
  const missing = new FieldProblems();
  if (needsCurrentFactor && !current) missing.add("CURRENT_FACTOR_REQUIRED", "currentCode", "CURRENT_FACTOR_REQUIRED");
  if (needsPassword && !input.password) missing.add("VALIDATION", "password", "CURRENT_PASSWORD_REQUIRED");
  if (needsEmailCode && !input.emailCode?.trim())
    missing.add("EMAIL_CODE_REQUIRED", "emailCode", "EMAIL_CODE_REQUIRED");
  const code = normalizeTotpInput(input.code);
  if (!code) missing.add("INVALID_CODE_FORMAT", "code", "TOTP_CODE_FORMAT");
  missing.throwIfAny();
  const pending = await db.totpEnrollment.findUnique({ where: { userId: actor.userId } });
  if (!pending || pending.expiresAt <= now) throw new DomainError("ENROLLMENT_EXPIRED");
  // …then what is wrong: the new app's code, the password and the emailed code are all checked before answering.
  const wrong = new FieldProblems();
  const secret = decryptSecret(pending.secretEnc, { userId: actor.userId });
  const match = matchTotp(secret, code as string, { now: now.getTime() });
  if (!match) wrong.add("INVALID_CODE", "code", "NEW_TOTP_CODE_WRONG");
  const user = needsPassword
    ? await wrong.collect(() => requirePassword(actor.userId, input.password, context, now))
    : await db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { name: true, email: true } });
  const emailCodeId = needsEmailCode
    ? await wrong.collect(() => checkEmailCode(actor.userId, input.emailCode ?? "", now))
    : null;
  wrong.throwIfAny();
  if (!match || !user) throw new DomainError("INTERNAL"); // unreachable: recorded as a problem above
  const confirm = async (tx: Tx, currentVerified: boolean) => {
    // Consume the pending enrollment exactly once: a double submit finds nothing to confirm.
    const { count } = await tx.totpEnrollment.deleteMany({
      where: { userId: actor.userId, secretEnc: pending.secretEnc, expiresAt: { gt: now } },
    });
    if (count !== 1) throw new DomainError("ENROLLMENT_EXPIRED");
    if (emailCodeId) await consumeEmailCode(tx, emailCodeId, now);
    const existing = await tx.totpFactor.findUnique({ where: { userId: actor.userId }, select: { userId: true } });
    // A factor that appeared since the check above (another tab) is replaced only with its own code.
    if (existing && !currentVerified) throw currentFactorRequired();
    const data = {
      secretEnc: pending.secretEnc,
      keyVersion: pending.keyVersion,
      confirmedAt: now,
      lastUsedStep: match.step,
      lastUsedAt: now,
      lastUsedClient: clientFingerprint(context),
    };
    await tx.totpFactor.upsert({
      where: { userId: actor.userId },
      create: { userId: actor.userId, ...data },
      update: data,
    });
    // The link flow ends with its setup: a later change asks for the usual proofs again.
    if (actor.sessionId)
      await tx.session.updateMany({
        where: { id: actor.sessionId, userId: actor.userId },
        data: { linkProofAt: null },
      });
    const recoveryCodes = await issueRecoveryCodes(tx, actor.userId, now);
    // S32: a new or replaced factor forgets every remembered device (issue 11).
    await forgetAllDevicesOf(tx, { userId: actor.userId, reason: "factor_changed", context });
    const revoked = await markCurrentSessionVerified(tx, actor, now, "clear");
    await auditForUser(tx, actor.userId, existing ? "2fa.reenrolled" : "2fa.enabled", context, {
      method: "totp",
      otherSessionsRevoked: revoked,
      ...(existing && current ? { confirmedWith: current.method } : {}),
    });
    // Moving to a new phone has its own mail: it also says the recovery codes were replaced (issue 10, item 8).
    await enqueueMail(tx, {
      to: user.email,
      template: existing ? "two-factor-replaced" : "two-factor-enabled",
      data: securityNoticeData(user.name, context, now),
    });
    return { recoveryCodes, reenrolled: Boolean(existing) };
  };
  if (!current || !needsCurrentFactor) return db.$transaction((tx) => confirm(tx, false));
  try {
    const { result } = await verifySecondFactor(actor.userId, current, { purpose: "replace", context, now }, (tx) =>
      confirm(tx, true),
    );
    return result;
  } catch (e) {
    // The form has two code fields: a message about the current factor belongs on the current-code field.
    if (e instanceof DomainError && e.fields?.code && ["INVALID_CODE", "INVALID_CODE_FORMAT"].includes(e.code))
      throw new DomainError(e.code, { fields: { currentCode: e.fields.code }, cause: e });
    throw e;
  }
}

/** The problems of several form fields, thrown together as one DomainError (the code of the first one). */
class FieldProblems {
  private code: ErrorCode | null = null;
  private readonly fields: Record<string, string> = {};

  add(code: ErrorCode, field: string, message: FieldMessageKey): void {
    this.code ??= code;
    this.fields[field] = fieldMessages[message];
  }

  /** Runs a check whose refusal names fields; records the refusal and returns null. Other errors (a lock) propagate. */
  async collect<T>(check: () => Promise<T>): Promise<T | null> {
    try {
      return await check();
    } catch (e) {
      if (!(e instanceof DomainError) || !e.fields) throw e;
      this.code ??= e.code;
      Object.assign(this.fields, e.fields);
      return null;
    }
  }

  throwIfAny(): void {
    if (this.code) throw new DomainError(this.code, { fields: this.fields });
  }
}

function currentFactorRequired(): DomainError {
  return fieldError("CURRENT_FACTOR_REQUIRED", { currentCode: "CURRENT_FACTOR_REQUIRED" });
}
