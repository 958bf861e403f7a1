import { decryptSecret } from "../../crypto/encryption";
import { hashRecoveryCode, normalizeRecoveryCode } from "../../crypto/recovery-codes";
import { normalizeSmsCode } from "../../crypto/sms-codes";
import { matchTotp, normalizeTotpInput } from "../../crypto/totp";
import { db, type Tx } from "../../db";
import { DomainError, fieldError, secondFactorLockDetail } from "../../errors";
import type { RequestContext } from "../audit/audit-log";
import { enqueueMail, securityNoticeData } from "../outbox/outbox";
import { release, reserve } from "../rate-limit/limiter";
import { succeed } from "../rate-limit/reset";
import { consumeSmsCode, reserveSmsCodeCheck, type SmsCodeCheck } from "../sms/codes";
import { auditForUser } from "./audit-for-user";
import type { SecondFactorInput, VerifiedFactor, VerifyPurpose } from "./factor-types";
import { secondFactorKey, secondFactorPolicy } from "./lock-policy";
import { clientFingerprint, isSameClientReuse } from "./same-client";
import { recordSecondFactorFailure, refuseUsedCode, VerificationFailed } from "./verification-failures";

// The ONE place that checks second-factor codes (sign-in, disabling 2FA, regenerating recovery codes, and later
// admin step-up). Everything a success changes happens in one transaction with the caller's own change
// (`onSuccess`): the code is consumed, the failure counter cleared, and e.g. the sign-in completed — or nothing. A
// failure is counted after the rollback of that transaction, in its own (verification-failures.ts); the lock policy
// is lock-policy.ts.

async function unusedRecoveryCodes(tx: Tx, userId: string): Promise<number> {
  return tx.recoveryCode.count({ where: { userId, usedAt: null } });
}

/**
 * Verifies a code of `userId` and, in the same transaction, runs `onSuccess`. Throws DomainError:
 * INVALID_CODE_FORMAT (malformed input, not counted), INVALID_CODE (wrong or replayed, counted),
 * SECOND_FACTOR_LOCKED (with when to retry and how to get help), TWO_FACTOR_NOT_ENABLED.
 */
export async function verifySecondFactor<T>(
  userId: string,
  input: SecondFactorInput,
  options: {
    purpose: VerifyPurpose;
    context: RequestContext;
    now?: Date;
    /** Sign-in: the pending challenge, whose texted code (method "sms") is the one accepted. */
    challengeId?: string;
  },
  onSuccess: (tx: Tx, verified: VerifiedFactor) => Promise<T>,
): Promise<{ result: T; verified: VerifiedFactor }> {
  const now = options.now ?? new Date();
  const { context, purpose } = options;
  const key = secondFactorKey(userId);

  const totpCode = input.method === "totp" ? normalizeTotpInput(input.code) : null;
  const recoveryCode = input.method === "recovery" ? normalizeRecoveryCode(input.code) : null;
  const smsCode = input.method === "sms" ? normalizeSmsCode(input.code) : null;
  if (!totpCode && !recoveryCode && !smsCode) {
    throw fieldError("INVALID_CODE_FORMAT", {
      code:
        input.method === "totp"
          ? "TOTP_CODE_FORMAT"
          : input.method === "sms"
            ? "SMS_CODE_FORMAT"
            : "RECOVERY_CODE_FORMAT",
    });
  }

  // S36 (attempts are reserved before the check, so parallel guesses cannot overrun the limit): reserve the attempt
  // before any secret is read; refused when locked or when the cycle is full.
  const reserved = await reserve(db, key, secondFactorPolicy, now);
  if (!reserved.ok)
    throw new DomainError("SECOND_FACTOR_LOCKED", {
      detail: secondFactorLockDetail(reserved.lockedUntil, context.timeZone, now),
    });
  const { reservation } = reserved;

  try {
    // A texted code (issue 12): its own try (5 per code) is reserved and committed before the transaction opens, so a
    // wrong guess sticks and a burst of parallel guesses holds no second connection inside a transaction.
    let sms: SmsCodeCheck | null = null;
    if (smsCode) {
      sms = await reserveSmsCodeCheck(
        {
          userId,
          purpose: purpose === "sign-in" ? "sign-in" : "step-up",
          code: smsCode,
          ...(options.challengeId ? { challengeId: options.challengeId } : {}),
        },
        now,
      );
    }
    return await db.$transaction(async (tx) => {
      const factor = await tx.totpFactor.findUnique({ where: { userId } });
      const phone = await tx.phoneFactor.findUnique({ where: { userId }, select: { userId: true } });
      if (input.method === "totp" ? !factor : input.method === "sms" ? !phone : !factor && !phone)
        throw new DomainError("TWO_FACTOR_NOT_ENABLED");
      let remaining: number;
      if (sms) {
        // S6 for texts: a code is accepted once (consumed by a conditional update that must change exactly one row).
        if (sms.outcome === "used") throw new VerificationFailed("used");
        if (sms.outcome !== "match" || !sms.codeId) throw new VerificationFailed("wrong-code");
        if (!(await consumeSmsCode(tx, sms.codeId, now))) throw new VerificationFailed("used");
        await tx.phoneFactor.update({ where: { userId }, data: { lastUsedAt: now } });
        remaining = await unusedRecoveryCodes(tx, userId);
      } else if (totpCode && factor) {
        const secret = decryptSecret(factor.secretEnc, { userId });
        const match = matchTotp(secret, totpCode, { now: now.getTime() });
        if (!match) throw new VerificationFailed("wrong-code");
        // S6 (a TOTP code is accepted once): each step once per user, and never a step at or before the last accepted
        // one.
        const { count } = await tx.totpFactor.updateMany({
          where: { userId, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: match.step } }] },
          data: { lastUsedStep: match.step, lastUsedAt: now, lastUsedClient: clientFingerprint(context) },
        });
        if (count !== 1) {
          const latest = await tx.totpFactor.findUnique({
            where: { userId },
            select: { lastUsedStep: true, lastUsedAt: true, lastUsedClient: true },
          });
          throw new VerificationFailed(latest?.lastUsedStep === match.step ? "used" : "replay", {
            sameClient: isSameClientReuse(latest, context, now),
          });
        }
        remaining = await unusedRecoveryCodes(tx, userId);
      } else {
        // S13 (a recovery code works once): consumed by a conditional update that must change exactly one row.
        const codeHash = hashRecoveryCode(recoveryCode as string, userId);
        const { count } = await tx.recoveryCode.updateMany({
          where: { userId, codeHash, usedAt: null },
          data: { usedAt: now },
        });
        if (count !== 1) {
          const used = await tx.recoveryCode.count({ where: { userId, codeHash, usedAt: { not: null } } });
          throw new VerificationFailed(used ? "used" : "wrong-code");
        }
        remaining = await unusedRecoveryCodes(tx, userId);
        const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { name: true, email: true } });
        await auditForUser(tx, userId, "2fa.recovery_code_used", context, { purpose, remaining });
        await enqueueMail(tx, {
          to: user.email,
          template: "recovery-code-used",
          data: { ...securityNoticeData(user.name, context, now), remaining },
        });
      }
      await succeed(tx, key, now);
      const verified: VerifiedFactor = { method: input.method, remainingRecoveryCodes: remaining };
      const result = await onSuccess(tx, verified);
      return { result, verified };
    });
  } catch (e) {
    if (!(e instanceof VerificationFailed)) {
      // Not a wrong code (e.g. the caller's change failed, or no factor): the attempt does not count.
      await release(db, reservation);
      throw e;
    }
    const about = { purpose, context, now, sameClient: e.sameClient };
    if (e.reason === "used") return await refuseUsedCode(userId, reservation, input.method, about);
    return await recordSecondFactorFailure(userId, reservation, input.method, e.reason, about);
  }
}
