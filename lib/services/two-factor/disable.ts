import type { Actor } from "../../auth/actor";
import { db } from "../../db";
import { DomainError } from "../../errors";
import type { RequestContext } from "../audit/audit-log";
import { requiringOrganizations } from "../org-policy/policy";
import { enqueueMail, securityNoticeData } from "../outbox/outbox";
import { revokeUserSessions } from "../sessions/revoke-user-sessions";
import { requirePassword } from "./password";
import { auditForUser, type SecondFactorInput, verifySecondFactor } from "./verification";

// Turning the user's own 2FA off, unless an organization of theirs requires it (rule S24).

/** S24: why this user may not turn off their own 2FA (an organization of theirs requires it), naming who can help;
 *  null when they may. */
export async function disableRefusal(userId: string): Promise<string | null> {
  const org = (await requiringOrganizations({ actor: { userId } }))[0];
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
