import { decryptSecret } from "../../crypto/encryption";
import { hashRecoveryCode, normalizeRecoveryCode } from "../../crypto/recovery-codes";
import { matchTotp, normalizeTotpInput } from "../../crypto/totp";
import { db, type Prisma, type Tx } from "../../db";
import { DomainError } from "../../errors";
import { type AuditEventType, type RequestContext, recordAuditEvent } from "../audit/audit-log";
import { enqueueMail, securityNoticeData } from "../outbox/outbox";
import { fail, type LimitPolicy, type Reservation, release, reserve } from "../rate-limit/limiter";
import { succeed } from "../rate-limit/reset";

// The ONE place that checks second-factor codes (sign-in, disabling 2FA, regenerating recovery codes, and later
// admin step-up). Everything a success changes happens in one transaction with the caller's own change
// (`onSuccess`): the code is consumed, the failure counter cleared, and e.g. the sign-in completed — or nothing.

export type SecondFactorMethod = "totp" | "recovery";
export type VerifyPurpose = "sign-in" | "disable" | "regenerate" | "step-up" | "transfer" | "replace";

export interface SecondFactorInput {
  method: SecondFactorMethod;
  code: string;
}

export interface VerifiedFactor {
  method: SecondFactorMethod;
  /** Unused recovery codes left after this verification. */
  remainingRecoveryCodes: number;
}

/** S9–S10: one counter per user for every code kind, shared by all sessions and processes; only a success resets
 *  it (the window never expires by itself). 10 failures → 15 min lock, doubling; at 100 consecutive failures the
 *  account stays locked until an administrator resets or unlocks it. Attempts are reserved before the check (S36). */
export const HARD_LOCK_FAILURES = 100;
export const secondFactorPolicy: LimitPolicy = {
  limit: 10,
  windowMs: 100 * 365 * 24 * 3600_000,
  lockMs: 15 * 60_000,
  growth: 2,
  maxLockMs: 24 * 3600_000,
  hardLockAfter: HARD_LOCK_FAILURES,
};
/** S33: after a correct password, this many wrong codes in a row emails the user. */
export const FAILURE_ALERT_AT = 3;

export const secondFactorKey = (userId: string) => `2fa:user:${userId}`;

export function lockMessage(until: Date | null): string {
  if (!until) return "Too many codes are being checked for this account at once. Wait a minute and try again.";
  const hardLocked = until.getTime() - Date.now() > 7 * 24 * 3600_000;
  if (hardLocked) {
    return "Too many wrong codes: two-factor sign-in is locked for this account. Ask your organization's owner or an administrator to unlock your account, or to reset your two-factor authentication.";
  }
  return `Too many wrong codes. Try again after ${until.toISOString().slice(11, 16)} UTC (you can then also use a recovery code), or ask an administrator to unlock your account. If you have lost your authenticator, ask an administrator to reset your two-factor authentication.`;
}

/** "used": the right code, but consumed already by the latest success (a parallel request, or a resubmission): it is
 *  no guess, so it does not count towards the lock (S36); a TOTP one is still audited and mailed as a replay (S7). */
type FailureReason = "wrong-code" | "replay" | "used" | "no-factor";

class VerificationFailed extends Error {
  constructor(readonly reason: FailureReason) {
    super(reason);
  }
}

async function organizationIds(tx: Tx, userId: string): Promise<(string | null)[]> {
  const rows = await tx.membership.findMany({ where: { userId, status: "ACTIVE" }, select: { organizationId: true } });
  return rows.length ? rows.map((r) => r.organizationId) : [null];
}

export async function auditForUser(
  tx: Tx,
  userId: string,
  type: AuditEventType,
  context: RequestContext,
  metadata: Prisma.InputJsonObject,
): Promise<void> {
  for (const organizationId of await organizationIds(tx, userId)) {
    await recordAuditEvent(tx, { type, organizationId, actorId: userId, targetId: userId, context, metadata });
  }
}

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
  options: { purpose: VerifyPurpose; context: RequestContext; now?: Date },
  onSuccess: (tx: Tx, verified: VerifiedFactor) => Promise<T>,
): Promise<{ result: T; verified: VerifiedFactor }> {
  const now = options.now ?? new Date();
  const { context, purpose } = options;
  const key = secondFactorKey(userId);

  const totpCode = input.method === "totp" ? normalizeTotpInput(input.code) : null;
  const recoveryCode = input.method === "recovery" ? normalizeRecoveryCode(input.code) : null;
  if (!totpCode && !recoveryCode) {
    throw new DomainError("INVALID_CODE_FORMAT", {
      fields: {
        code:
          input.method === "totp"
            ? "Enter the 6-digit code from your authenticator app."
            : "Enter a recovery code like 7hq2k-9xv3m-c4pwd-r8tne.",
      },
    });
  }

  // S36: reserve the attempt before any secret is read; refused when locked or when the cycle is full.
  const reserved = await reserve(db, key, secondFactorPolicy, now);
  if (!reserved.ok) throw new DomainError("SECOND_FACTOR_LOCKED", { detail: lockMessage(reserved.lockedUntil) });
  const { reservation } = reserved;

  try {
    return await db.$transaction(async (tx) => {
      const factor = await tx.totpFactor.findUnique({ where: { userId } });
      if (!factor) throw new DomainError("TWO_FACTOR_NOT_ENABLED");
      let remaining: number;
      if (totpCode) {
        const secret = decryptSecret(factor.secretEnc, { userId });
        const match = matchTotp(secret, totpCode, { now: now.getTime() });
        if (!match) throw new VerificationFailed("wrong-code");
        // S6: each step once per user, and never a step at or before the last accepted one.
        const { count } = await tx.totpFactor.updateMany({
          where: { userId, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: match.step } }] },
          data: { lastUsedStep: match.step, lastUsedAt: now },
        });
        if (count !== 1) {
          const latest = await tx.totpFactor.findUnique({ where: { userId }, select: { lastUsedStep: true } });
          throw new VerificationFailed(latest?.lastUsedStep === match.step ? "used" : "replay");
        }
        remaining = await unusedRecoveryCodes(tx, userId);
      } else {
        // S13: consumed by a conditional update that must change exactly one row.
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
    if (e.reason === "used") return await refuseUsedCode(userId, reservation, input.method, { purpose, context, now });
    return await recordSecondFactorFailure(userId, reservation, input.method, e.reason, { purpose, context, now });
  }
}

const USED_CODE_FIELDS = {
  totp: "This code was already used. Wait for the next code in your app.",
  recovery: "That recovery code is not valid or was already used.",
} as const;

/** A right code that the latest success already consumed: not a failure (the reservation is released). When it lost a
 *  race to that success nothing is written; a later resubmission of a TOTP code is audited and mailed (S7). */
async function refuseUsedCode(
  userId: string,
  reservation: Reservation,
  method: SecondFactorMethod,
  { purpose, context, now }: { purpose: VerifyPurpose; context: RequestContext; now: Date },
): Promise<never> {
  const current = await release(db, reservation);
  if (current) {
    await db.$transaction(async (tx) => {
      await auditForUser(tx, userId, "2fa.replay", context, { purpose, method });
      if (method === "totp") {
        const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { name: true, email: true } });
        await enqueueMail(tx, {
          to: user.email,
          template: "totp-replay",
          data: securityNoticeData(user.name, context, now),
        });
      }
    });
  }
  throw new DomainError("INVALID_CODE", { fields: { code: USED_CODE_FIELDS[method] } });
}

/** Counts the failure (S9), audits it, mails on replay (S7), on repeated failures after a correct password (S33) and
 *  when the account locks, and throws the matching DomainError. The failure is counted after the rollback of the
 *  verification transaction, in its own. A reservation that lost a race to a success (the code or step was consumed
 *  by a parallel sign-in) counts nothing and writes nothing. */
async function recordSecondFactorFailure(
  userId: string,
  reservation: Reservation,
  method: SecondFactorMethod,
  reason: FailureReason,
  { purpose, context, now }: { purpose: VerifyPurpose; context: RequestContext; now: Date },
): Promise<never> {
  const lock = await db.$transaction(async (tx) => {
    const state = await fail(tx, reservation, now);
    if (state.failures === 0) return null; // lost a race to a success: not a failure
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { name: true, email: true } });
    const base = securityNoticeData(user.name, context, now);
    await auditForUser(tx, userId, "2fa.failed", context, { method, reason, purpose, failures: state.failures });
    if (reason === "replay") {
      await auditForUser(tx, userId, "2fa.replay", context, { purpose });
      await enqueueMail(tx, { to: user.email, template: "totp-replay", data: base });
    }
    if (purpose === "sign-in" && state.failures === FAILURE_ALERT_AT) {
      await enqueueMail(tx, {
        to: user.email,
        template: "second-factor-failures",
        data: { ...base, failures: state.failures },
      });
    }
    if (state.lockedNow && state.lockedUntil) {
      await auditForUser(tx, userId, "2fa.locked", context, {
        until: state.lockedUntil.toISOString(),
        failures: state.failures,
      });
      await enqueueMail(tx, {
        to: user.email,
        template: "account-locked",
        data: { ...base, factor: "second-factor", until: state.lockedUntil.toISOString() },
      });
    }
    return state.lockedUntil;
  });
  if (lock) throw new DomainError("SECOND_FACTOR_LOCKED", { detail: lockMessage(lock) });
  throw new DomainError("INVALID_CODE", {
    fields: {
      code:
        reason === "replay"
          ? "This code was already used. Wait for the next code in your app."
          : method === "totp"
            ? "That code is not right. Check that your phone's time is set automatically and enter the current code."
            : "That recovery code is not valid or was already used.",
    },
  });
}
