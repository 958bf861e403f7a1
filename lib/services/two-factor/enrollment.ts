import type { Actor } from "../../auth/actor";
import { currentKeyVersion, decryptSecret, encryptSecret } from "../../crypto/encryption";
import { generateRecoveryCodes, hashRecoveryCode } from "../../crypto/recovery-codes";
import {
  formatSecretForDisplay,
  generateTotpSecret,
  matchTotp,
  normalizeTotpInput,
  otpauthUri,
} from "../../crypto/totp";
import { db, type Tx } from "../../db";
import { DomainError } from "../../errors";
import type { RequestContext } from "../audit/audit-log";
import { sessionOf } from "../authz";
import { enrollmentIsForced, requiringOrganizations } from "../org-policy/policy";
import { enqueueMail, securityNoticeData } from "../outbox/outbox";
import { checkPasswordThrottled } from "../password-check";
import { revokeUserSessions } from "../sessions";
import { checkEmailCode, consumeEmailCode } from "./email-codes";
import { auditForUser, type SecondFactorInput, verifySecondFactor } from "./verification";

// Personal two-factor authentication: enrollment of an authenticator app, recovery codes, turning it off.
// Every change that alters a user's factors revokes their other sessions and marks the current one as having
// passed 2FA (issue 3 §6), and mails the user through the outbox in the same transaction (S33).

export const ENROLLMENT_TTL_MS = 10 * 60_000;
export const RECOVERY_CODE_COUNT = 10;

export interface TwoFactorStatus {
  enabled: boolean;
  confirmedAt: Date | null;
  lastUsedAt: Date | null;
  recoveryCodesRemaining: number;
  recoveryCodesTotal: number;
  suggestionDismissed: boolean;
}

export async function twoFactorStatus(userId: string, tx: Tx = db): Promise<TwoFactorStatus> {
  const [factor, remaining, total, user] = await Promise.all([
    tx.totpFactor.findUnique({ where: { userId }, select: { confirmedAt: true, lastUsedAt: true } }),
    tx.recoveryCode.count({ where: { userId, usedAt: null } }),
    tx.recoveryCode.count({ where: { userId } }),
    tx.user.findUnique({ where: { id: userId }, select: { twoFactorSuggestionDismissedAt: true } }),
  ]);
  return {
    enabled: Boolean(factor),
    confirmedAt: factor?.confirmedAt ?? null,
    lastUsedAt: factor?.lastUsedAt ?? null,
    recoveryCodesRemaining: factor ? remaining : 0,
    recoveryCodesTotal: factor ? total : 0,
    suggestionDismissed: Boolean(user?.twoFactorSuggestionDismissedAt),
  };
}

export async function requirePassword(
  userId: string,
  password: string,
  context: RequestContext = { ip: null, userAgent: null },
  now = new Date(),
): Promise<{ name: string; email: string }> {
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, name: true, email: true, passwordHash: true },
  });
  // Password re-checks share the sign-in throttle (S36), so a stolen session cannot guess the password here.
  return checkPasswordThrottled(
    { email: user.email, password, account: user, purpose: "re-check" },
    context,
    now,
    () => new DomainError("INVALID_PASSWORD", { fields: { password: "That password is not right." } }),
    async () => ({ name: user.name, email: user.email }),
  );
}

/**
 * Starts (or restarts) enrollment: a new secret, shown once, valid for 10 minutes (S4). It never counts for sign-in
 * until confirmed; a confirmed factor (re-enrollment) stays in force until the new one is confirmed.
 */
export async function startTotpEnrollment(actor: Actor, context: RequestContext, now = new Date()) {
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { email: true } });
  const secret = generateTotpSecret();
  const expiresAt = new Date(now.getTime() + ENROLLMENT_TTL_MS);
  await db.$transaction(async (tx) => {
    const data = {
      secretEnc: encryptSecret(secret, { userId: actor.userId }),
      keyVersion: currentKeyVersion(),
      createdAt: now,
      expiresAt,
    };
    await tx.totpEnrollment.upsert({
      where: { userId: actor.userId },
      create: { userId: actor.userId, ...data },
      update: data,
    });
    await auditForUser(tx, actor.userId, "2fa.enrollment_started", context, {});
  });
  return {
    otpauthUri: otpauthUri({ secret, accountName: user.email }),
    secretForDisplay: formatSecretForDisplay(secret),
    expiresAt,
  };
}

/** The pending enrollment's QR data again (page reload), while it is still valid. */
export async function pendingTotpEnrollment(userId: string, now = new Date()) {
  const pending = await db.totpEnrollment.findUnique({ where: { userId } });
  if (!pending || pending.expiresAt <= now) return null;
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
  const secret = decryptSecret(pending.secretEnc, { userId });
  return {
    otpauthUri: otpauthUri({ secret, accountName: user.email }),
    secretForDisplay: formatSecretForDisplay(secret),
    expiresAt: pending.expiresAt,
  };
}

export async function issueRecoveryCodes(tx: Tx, userId: string, now: Date): Promise<string[]> {
  const codes = generateRecoveryCodes(RECOVERY_CODE_COUNT);
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({
    data: codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code, userId), createdAt: now })),
  });
  return codes;
}

/**
 * Marks the current session as having passed 2FA and signs out the user's other sessions. A new factor (enrollment)
 * also voids any earlier step-up of this session (`stepUp: "clear"`): enrolling never counts as verifying an existing
 * factor (S39), so admin actions ask for a fresh code from the new app.
 */
async function markCurrentSessionVerified(
  tx: Tx,
  actor: Actor,
  now: Date,
  stepUp: "keep" | "clear" = "keep",
): Promise<number> {
  await tx.session.updateMany({
    where: { id: sessionOf(actor), userId: actor.userId },
    data: { secondFactorAt: now, ...(stepUp === "clear" ? { stepUpAt: null } : {}) },
  });
  return revokeUserSessions(
    tx,
    { userId: actor.userId, exceptSessionId: actor.sessionId, reason: "two-factor-changed" },
    now,
  );
}

/**
 * What confirming an enrollment needs besides the app code: the current password (users who have one; SSO users do
 * not), and a code sent to their email when the enrollment is forced by an organization and they have no 2FA yet, or
 * when they have no password to prove who they are (issue 4 §5, attacker-enrols-first guard).
 */
export async function enrollmentRequirements(userId: string, now = new Date()) {
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { passwordHash: true, totpFactor: { select: { userId: true } } },
  });
  const needsPassword = user.passwordHash !== null;
  const forced = !user.totpFactor && (await enrollmentIsForced(userId, now));
  // S39: replacing a factor needs the current one (a code from it or a recovery code) besides the password.
  const needsCurrentFactor = Boolean(user.totpFactor);
  return { needsPassword, needsEmailCode: forced || !needsPassword, forced, needsCurrentFactor };
}

/**
 * Confirms the pending enrollment with the current password and a code from the new secret. Turns 2FA on (or moves
 * it to the new app), issues 10 recovery codes (returned once, S14), revokes the other sessions. Moving to a new app
 * (a factor exists) also needs `current`: a code from the current app or a recovery code, checked by
 * verifySecondFactor in the same transaction as the switch (S39; CURRENT_FACTOR_REQUIRED without it). The session is
 * marked as having passed 2FA, never as stepped up.
 */
export async function confirmTotpEnrollment(
  actor: Actor,
  input: { password: string; code: string; emailCode?: string | null; current?: SecondFactorInput | null },
  context: RequestContext,
  now = new Date(),
): Promise<{ recoveryCodes: string[]; reenrolled: boolean }> {
  const { needsPassword, needsEmailCode, needsCurrentFactor } = await enrollmentRequirements(actor.userId, now);
  const current = input.current?.code?.trim() ? input.current : null;
  if (needsCurrentFactor && !current) throw currentFactorRequired();
  if (needsPassword && !input.password)
    throw new DomainError("VALIDATION", { fields: { password: "Enter your current password." } });
  const user = needsPassword
    ? await requirePassword(actor.userId, input.password, context, now)
    : await db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { name: true, email: true } });
  let emailCodeId: string | null = null;
  if (needsEmailCode) {
    if (!input.emailCode?.trim())
      throw new DomainError("EMAIL_CODE_REQUIRED", { fields: { emailCode: "Enter the code we emailed you." } });
    emailCodeId = await checkEmailCode(actor.userId, input.emailCode, now);
  }
  const code = normalizeTotpInput(input.code);
  if (!code)
    throw new DomainError("INVALID_CODE_FORMAT", {
      fields: { code: "Enter the 6-digit code from your authenticator app." },
    });
  const pending = await db.totpEnrollment.findUnique({ where: { userId: actor.userId } });
  if (!pending || pending.expiresAt <= now) throw new DomainError("ENROLLMENT_EXPIRED");
  const secret = decryptSecret(pending.secretEnc, { userId: actor.userId });
  const match = matchTotp(secret, code, { now: now.getTime() });
  if (!match) {
    throw new DomainError("INVALID_CODE", {
      fields: { code: "That code does not match the new key. Scan the QR code again and enter the current code." },
    });
  }
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
    };
    await tx.totpFactor.upsert({
      where: { userId: actor.userId },
      create: { userId: actor.userId, ...data },
      update: data,
    });
    const recoveryCodes = await issueRecoveryCodes(tx, actor.userId, now);
    const revoked = await markCurrentSessionVerified(tx, actor, now, "clear");
    await auditForUser(tx, actor.userId, existing ? "2fa.reenrolled" : "2fa.enabled", context, {
      method: "totp",
      otherSessionsRevoked: revoked,
      ...(existing && current ? { confirmedWith: current.method } : {}),
    });
    await enqueueMail(tx, {
      to: user.email,
      template: "two-factor-enabled",
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

function currentFactorRequired(): DomainError {
  return new DomainError("CURRENT_FACTOR_REQUIRED", {
    fields: {
      currentCode:
        "Enter a code from your current authenticator app, or one of your recovery codes if you no longer have it.",
    },
  });
}

/** Abandons a pending enrollment (the confirmed factor, if any, stays). */
export async function cancelTotpEnrollment(userId: string): Promise<void> {
  await db.totpEnrollment.deleteMany({ where: { userId } });
}

/** Regenerates recovery codes: password + a current code (S14); voids the old set; returns the new codes once. */
export async function regenerateRecoveryCodes(
  actor: Actor,
  input: { password: string } & SecondFactorInput,
  context: RequestContext,
  now = new Date(),
): Promise<{ recoveryCodes: string[] }> {
  const user = await requirePassword(actor.userId, input.password, context, now);
  const { result } = await verifySecondFactor(
    actor.userId,
    { method: input.method, code: input.code },
    { purpose: "regenerate", context, now },
    async (tx) => {
      const recoveryCodes = await issueRecoveryCodes(tx, actor.userId, now);
      const revoked = await markCurrentSessionVerified(tx, actor, now);
      await auditForUser(tx, actor.userId, "2fa.recovery_codes_regenerated", context, {
        otherSessionsRevoked: revoked,
      });
      await enqueueMail(tx, {
        to: user.email,
        template: "recovery-codes-regenerated",
        data: securityNoticeData(user.name, context, now),
      });
      return { recoveryCodes };
    },
  );
  return result;
}

/** S24: why this user may not turn off their own 2FA (an organization of theirs requires it), naming who can help;
 *  null when they may. */
export async function disableRefusal(userId: string): Promise<string | null> {
  const org = (await requiringOrganizations(userId))[0];
  if (!org) return null;
  const helpers = org.memberships.map((m) => `${m.user.name} (${m.user.email})`).join(", ");
  return `${org.name} requires it. If you lost your authenticator, ask an administrator of ${org.name}${helpers ? ` — ${helpers} —` : ""} to reset it for you.`;
}

async function refuseWhileRequired(userId: string): Promise<void> {
  const detail = await disableRefusal(userId);
  if (detail) throw new DomainError("POLICY_REQUIRES_TWO_FACTOR", { detail });
}

/**
 * Turns 2FA off: needs the password (accounts that have one) and a current code or a recovery code (S39); removes the
 * secret and every recovery code; mails the user.
 */
export async function disableTwoFactor(
  actor: Actor,
  input: SecondFactorInput & { password?: string | null },
  context: RequestContext,
  now = new Date(),
): Promise<void> {
  const user = await db.user.findUniqueOrThrow({
    where: { id: actor.userId },
    select: { name: true, email: true, passwordHash: true },
  });
  await refuseWhileRequired(actor.userId);
  if (user.passwordHash !== null) {
    if (!input.password) throw new DomainError("VALIDATION", { fields: { password: "Enter your current password." } });
    await requirePassword(actor.userId, input.password);
  }
  const factor = { method: input.method, code: input.code };
  await verifySecondFactor(actor.userId, factor, { purpose: "disable", context, now }, async (tx) => {
    await tx.totpFactor.delete({ where: { userId: actor.userId } });
    await tx.totpEnrollment.deleteMany({ where: { userId: actor.userId } });
    await tx.recoveryCode.deleteMany({ where: { userId: actor.userId } });
    const revoked = await revokeUserSessions(
      tx,
      { userId: actor.userId, exceptSessionId: actor.sessionId, reason: "two-factor-changed" },
      now,
    );
    await auditForUser(tx, actor.userId, "2fa.disabled", context, { otherSessionsRevoked: revoked });
    await enqueueMail(tx, {
      to: user.email,
      template: "two-factor-disabled",
      data: securityNoticeData(user.name, context, now),
    });
  });
}

export async function dismissTwoFactorSuggestion(
  userId: string,
  context: RequestContext,
  now = new Date(),
): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { twoFactorSuggestionDismissedAt: now } });
    await auditForUser(tx, userId, "2fa.suggestion_dismissed", context, {});
  });
}
