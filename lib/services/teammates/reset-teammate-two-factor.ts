import type { Actor } from "../../auth/actor";
import { db, inTransaction, type Tx } from "../../db";
import { DomainError, detailMessages } from "../../errors";
import { reEnrollUrl } from "../../urls";
import type { RequestContext } from "../audit/audit-log";
import { organizationOf } from "../authz";
import { enqueueMail } from "../outbox/outbox";
import { succeed } from "../rate-limit/reset";
import { revokeUserSessions } from "../sessions/revoke-user-sessions";
import { forgetAllDevicesOf } from "../trusted-access/remembered-devices";
import { secondFactorKey } from "../two-factor/lock-policy";
import { createReEnrollmentToken } from "../two-factor/re-enrollment";
import { auditEverywhere, authorizeTeammateAction } from "./teammate-authorization";

/**
 * Resets a teammate's 2FA (S28: an admin reset removes the factor, ends every session and mails a single-use link):
 * removes their authenticator, their phone for SMS codes, pending enrollment and recovery codes, clears their second-factor failure counter (and
 * lock), signs them out everywhere, and mails them a single-use link (24 h) to set up a new authenticator. Refused with
 * TEAMMATE_NO_TWO_FACTOR when they have no authenticator. Returns no secret.
 */
export async function resetTeammateTwoFactor(
  { actor, input, context }: { actor: Actor; input: { membershipId: string }; context: RequestContext },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<{ sessionsRevoked: number; linkExpiresAt: Date }> {
  return inTransaction(tx, async (t) => {
    const { target, adminName, organizationName } = await authorizeTeammateAction(t, actor, input.membershipId, now);
    const userId = target.userId;
    // The factor rows decide "has 2FA" (an app, a phone, or both); deleting them first also serializes concurrent
    // resets of the same person.
    const app = await t.totpFactor.deleteMany({ where: { userId } });
    const phone = await t.phoneFactor.deleteMany({ where: { userId } });
    if (app.count + phone.count === 0)
      throw new DomainError("TEAMMATE_NO_TWO_FACTOR", { detail: detailMessages.NOTHING_TO_RESET });
    await t.totpEnrollment.deleteMany({ where: { userId } });
    // Codes texted for a phone change or sign-in die with the phone.
    await t.smsCode.deleteMany({ where: { userId, consumedAt: null } });
    const codes = await t.recoveryCode.deleteMany({ where: { userId } });
    await succeed(t, secondFactorKey(userId), now);
    // Every session and every half-finished sign-in of the teammate ends now (S21: a security change ends the other
    // sessions; S28).
    const sessionsRevoked = await revokeUserSessions(t, { userId, reason: "two_factor_reset_by_admin" }, now);
    await t.signInChallenge.updateMany({ where: { userId, consumedAt: null }, data: { consumedAt: now } });
    await t.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
    // S28, S32: the teammate's remembered devices are forgotten too, in this transaction.
    await forgetAllDevicesOf(t, { userId, reason: "admin_reset", context });
    const link = await createReEnrollmentToken(
      t,
      { userId, organizationId: organizationOf(actor), createdById: actor.userId },
      now,
    );
    await auditEverywhere(t, actor, userId, {
      type: "2fa.admin_reset",
      context,
      metadata: {
        membershipId: target.id,
        sessionsRevoked,
        recoveryCodesDeleted: codes.count,
        removed: [...(app.count ? ["app"] : []), ...(phone.count ? ["sms"] : [])],
        linkExpiresAt: link.expiresAt.toISOString(),
      },
    });
    await enqueueMail(t, {
      to: target.user.email,
      template: "two-factor-reset",
      data: {
        name: target.user.name,
        adminName,
        organizationName,
        at: now.toISOString(),
        reEnrollUrl: reEnrollUrl(link.token),
        expiresAt: link.expiresAt.toISOString(),
      },
    });
    return { sessionsRevoked, linkExpiresAt: link.expiresAt };
  });
}
