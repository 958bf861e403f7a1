import type { Actor } from "../../auth/actor";
import { db } from "../../db";
import { DomainError, fieldError, policyRequiresTwoFactorDetail } from "../../errors";
import type { RequestContext } from "../audit/audit-log";
import { requiringOrganizations } from "../org-policy/policy";
import { enqueueMail, securityNoticeData } from "../outbox/outbox";
import { revokeUserSessions } from "../sessions/revoke-user-sessions";
import { forgetAllDevicesOf } from "../trusted-access/remembered-devices";
import { auditForUser } from "./audit-for-user";
import type { SecondFactorInput } from "./factor-types";
import { requirePassword } from "./password";
import { smsAllowedFor } from "./phone-common";
import { verifySecondFactor } from "./verification";

// Turning the user's own 2FA off, unless an organization of theirs requires it (rule S24: an organization that requires
// 2FA keeps its members from turning it off).

/** S24 (a requiring organization keeps 2FA on): why this user may not turn off their own 2FA (an organization of
 *  theirs requires it), naming who can help; null when they may. */
export async function disableRefusal({ actor }: { actor: Pick<Actor, "userId"> }): Promise<string | null> {
  const org = (await requiringOrganizations({ actor: { userId: actor.userId } }))[0];
  if (!org) return null;
  const helpers = org.memberships.map((m) => `${m.user.name} (${m.user.email})`).join(", ");
  return policyRequiresTwoFactorDetail(org.name, helpers);
}

/** Whether a phone that the person's organizations allow would keep 2FA on once the app is removed (issue 12). */
export async function phoneKeepsTwoFactor({ actor }: { actor: Pick<Actor, "userId"> }): Promise<boolean> {
  const phone = await db.phoneFactor.findUnique({ where: { userId: actor.userId }, select: { userId: true } });
  return phone !== null && (await smsAllowedFor({ actor }));
}

/** Why this user may not remove their authenticator app, or null: never while a phone keeps 2FA on, otherwise the
 *  rule of turning 2FA off (disableRefusal). Profile › Security shows the app's "Turn off" when this is null. */
export async function appRemovalRefusal({ actor }: { actor: Pick<Actor, "userId"> }): Promise<string | null> {
  return (await phoneKeepsTwoFactor({ actor })) ? null : disableRefusal({ actor });
}

/**
 * Turns 2FA off: needs the password (accounts that have one) and a current code or a recovery code (S39: weakening 2FA
 * needs the current factor); removes the secret and every recovery code; mails the user.
 */
export async function disableTwoFactor(
  {
    actor,
    input,
    context,
  }: { actor: Actor; input: SecondFactorInput & { password?: string | null }; context: RequestContext },
  // No `tx`: the change runs in verifySecondFactor's own transaction (a failure is counted after its rollback).
  { now = new Date() }: { now?: Date } = {},
): Promise<void> {
  const user = await db.user.findUniqueOrThrow({
    where: { id: actor.userId },
    select: { name: true, email: true, passwordHash: true },
  });
  // With a phone that the organizations allow, removing the app leaves 2FA on (issue 12): no refusal then.
  const refusal = await appRemovalRefusal({ actor });
  if (refusal) throw new DomainError("POLICY_REQUIRES_TWO_FACTOR", { detail: refusal });
  if (user.passwordHash !== null) {
    if (!input.password) throw fieldError("VALIDATION", { password: "CURRENT_PASSWORD_REQUIRED" });
    await requirePassword(actor.userId, input.password);
  }
  const factor = { method: input.method, code: input.code };
  await verifySecondFactor(actor.userId, factor, { purpose: "disable", context, now }, async (tx) => {
    await tx.totpFactor.delete({ where: { userId: actor.userId } });
    await tx.totpEnrollment.deleteMany({ where: { userId: actor.userId } });
    // A phone left behind keeps 2FA on, and the recovery codes with it.
    const stillPhone = await tx.phoneFactor.findUnique({ where: { userId: actor.userId }, select: { userId: true } });
    if (!stillPhone) await tx.recoveryCode.deleteMany({ where: { userId: actor.userId } });
    const revoked = await revokeUserSessions(
      tx,
      { userId: actor.userId, exceptSessionId: actor.sessionId, reason: "two_factor_changed" },
      now,
    );
    await auditForUser(tx, actor.userId, stillPhone ? "2fa.app_removed" : "2fa.disabled", context, {
      otherSessionsRevoked: revoked,
    });
    // S32: 2FA off (or the app removed: a factor change) forgets every remembered device (issue 11).
    await forgetAllDevicesOf(tx, { userId: actor.userId, reason: "two_factor_disabled", context });
    await enqueueMail(tx, {
      to: user.email,
      template: stillPhone ? "app-removed" : "two-factor-disabled",
      data: securityNoticeData(user.name, context, now),
    });
  });
}
