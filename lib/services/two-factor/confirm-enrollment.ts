import type { Actor } from "../../auth/actor";
import { decryptSecret } from "../../crypto/encryption";
import { matchTotp, normalizeTotpInput } from "../../crypto/totp";
import { db, type Tx } from "../../db";
import { DomainError } from "../../errors";
import type { RequestContext } from "../audit/audit-log";
import { enqueueMail, securityNoticeData } from "../outbox/outbox";
import { markCurrentSessionVerified } from "./current-session";
import { checkEmailCode, consumeEmailCode } from "./email-codes";
import { enrollmentRequirements } from "./enrollment";
import { requirePassword } from "./password";
import { issueRecoveryCodes } from "./recovery";
import { auditForUser, type SecondFactorInput, verifySecondFactor } from "./verification";

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
