import { db, type Tx } from "../../db";
import { attemptsLeftText, DomainError, fieldError, fieldMessages, secondFactorLockDetail } from "../../errors";
import type { RequestContext } from "../audit/audit-log";
import { enqueueMail, securityNoticeData } from "../outbox/outbox";
import { fail, type Reservation, release } from "../rate-limit/limiter";
import { auditForUser } from "./audit-for-user";
import type { SecondFactorMethod, VerifyPurpose } from "./factor-types";
import { ATTEMPTS_LEFT_FROM, FAILURE_ALERT_AT } from "./lock-policy";

// What verifySecondFactor does after its transaction rolled back on a wrong code: count the failure (or not, for a
// code the latest success consumed), audit and mail it, and throw the DomainError the person sees.

/** "used": the right code, but consumed already by the latest success (a parallel request, or a resubmission): it is
 *  no guess, so it does not count towards the lock (S36: only guesses count); a TOTP one is still audited and mailed
 *  as a replay (S7: a replayed code is reported to the person). */
export type FailureReason = "wrong-code" | "replay" | "used" | "no-factor";

/** Thrown inside the verification transaction to roll it back; turned into a DomainError after the rollback. */
export class VerificationFailed extends Error {
  /** A reused TOTP code came from the browser and network of its first use, within 30 s (same-client.ts). */
  readonly sameClient: boolean;
  constructor(
    readonly reason: FailureReason,
    opts: { sameClient?: boolean } = {},
  ) {
    super(reason);
    this.sameClient = opts.sameClient ?? false;
  }
}

/** How the person hears of a reused code: the audit row always; the "code reused" mail only when the reuse came from
 *  another browser or network, or later than 30 s (issue 10, item 8): a double submit just reads "wait for the next
 *  code". */
async function reportReplay(
  tx: Tx,
  userId: string,
  {
    purpose,
    context,
    now,
    sameClient,
  }: { purpose: VerifyPurpose; context: RequestContext; now: Date; sameClient?: boolean },
  metadata: Record<string, unknown> = {},
) {
  await auditForUser(tx, userId, "2fa.replay", context, {
    purpose,
    ...metadata,
    ...(sameClient ? { sameClient } : {}),
  });
  if (sameClient) return;
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { name: true, email: true } });
  await enqueueMail(tx, { to: user.email, template: "totp-replay", data: securityNoticeData(user.name, context, now) });
}

const USED_CODE_FIELDS = { totp: "TOTP_CODE_USED", recovery: "RECOVERY_CODE_WRONG", sms: "SMS_CODE_WRONG" } as const;

/** A right code that the latest success already consumed: not a failure (the reservation is released). When it lost a
 *  race to that success nothing is written; a later resubmission of a TOTP code is audited and mailed (S7: a
 *  replayed code is reported to the person). */
export async function refuseUsedCode(
  userId: string,
  reservation: Reservation,
  method: SecondFactorMethod,
  about: { purpose: VerifyPurpose; context: RequestContext; now: Date; sameClient?: boolean },
): Promise<never> {
  const current = await release(db, reservation);
  if (current) {
    await db.$transaction(async (tx) => {
      if (method === "totp") await reportReplay(tx, userId, about, { method });
      else await auditForUser(tx, userId, "2fa.replay", about.context, { purpose: about.purpose, method });
    });
  }
  throw fieldError("INVALID_CODE", { code: USED_CODE_FIELDS[method] });
}

/** Counts the failure (S9: one failure counter per user), audits it, mails on replay (S7: replays are reported), on
 *  repeated failures after a correct password (S33: security events are mailed to the person) and
 *  when the account locks, and throws the matching DomainError. The failure is counted after the rollback of the
 *  verification transaction, in its own. A reservation that lost a race to a success (the code or step was consumed
 *  by a parallel sign-in) counts nothing and writes nothing. */
export async function recordSecondFactorFailure(
  userId: string,
  reservation: Reservation,
  method: SecondFactorMethod,
  reason: FailureReason,
  about: { purpose: VerifyPurpose; context: RequestContext; now: Date; sameClient?: boolean },
): Promise<never> {
  const { purpose, context, now } = about;
  const state = await db.$transaction(async (tx) => {
    const state = await fail(tx, reservation, now);
    if (state.failures === 0) return null; // lost a race to a success: not a failure
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { name: true, email: true } });
    const base = securityNoticeData(user.name, context, now);
    await auditForUser(tx, userId, "2fa.failed", context, { method, reason, purpose, failures: state.failures });
    if (reason === "replay") await reportReplay(tx, userId, about);
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
    return state;
  });
  if (state?.lockedUntil)
    throw new DomainError("SECOND_FACTOR_LOCKED", {
      detail: secondFactorLockDetail(state.lockedUntil, context.timeZone, now),
    });
  const key =
    reason === "replay"
      ? "TOTP_CODE_USED"
      : method === "totp"
        ? "TOTP_CODE_WRONG"
        : method === "sms"
          ? "SMS_CODE_WRONG"
          : "RECOVERY_CODE_WRONG";
  // Issue 10 item 5: from the third failure on, how many attempts are left before the lock (the limiter's state).
  if (state && state.failures >= ATTEMPTS_LEFT_FROM) {
    const left = attemptsLeftText(state.attemptsLeft, "two-factor");
    throw fieldError("INVALID_CODE", { code: { text: `${fieldMessages[key]} ${left}` } }, { detail: left });
  }
  throw fieldError("INVALID_CODE", { code: key });
}
