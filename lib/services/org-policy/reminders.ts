import { type Actor, ADMINS } from "../../auth/actor";
import { db, inTransaction, type Tx } from "../../db";
import { DomainError, reminderRateLimitDetail } from "../../errors";
import { twoFactorSetupUrl } from "../../urls";
import { type RequestContext, recordAuditEvent } from "../audit/audit-log";
import { actorMembership, organizationOf, targetMembership } from "../authz";
import { enqueueMail } from "../outbox/outbox";
import { factorsOf, hasAllowedFactor } from "../two-factor/factors";
import { isExempt } from "./exemptions";

// An administrator reminds a teammate to set up two-factor authentication (issue 5, item 5): a mail through the
// outbox with a link to the setup page, audited, at most once an hour per teammate (`twoFactorReminderAt`, claimed
// by a conditional update so that two concurrent clicks send one mail). Refused for someone who already has 2FA.

export const REMINDER_INTERVAL_MS = 3600_000;

/**
 * Mails the reminder. Throws FORBIDDEN, NOT_ON_YOURSELF, NOT_FOUND, OWNER_PROTECTED, TEAMMATE_HAS_TWO_FACTOR, and
 * REMINDER_RATE_LIMITED (with the time the next one may be sent) within an hour of the previous reminder.
 */
export async function sendTwoFactorReminder(
  { actor, input, context }: { actor: Actor; input: { membershipId: string }; context: RequestContext },
  { tx: outer = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<{ sentTo: string; nextAllowedAt: Date }> {
  return inTransaction(outer, async (tx) => {
    const own = await actorMembership(tx, actor, ADMINS);
    if (own.id === input.membershipId) throw new DomainError("NOT_ON_YOURSELF");
    const target = await targetMembership(tx, actor, input.membershipId);
    // A member whose only factor the organization forbids (SMS) is reminded like one without 2FA.
    const [factors, org] = await Promise.all([
      factorsOf(target.userId, { tx }),
      tx.organization.findUniqueOrThrow({ where: { id: target.organizationId }, select: { allowedMethods: true } }),
    ]);
    if (hasAllowedFactor(factors, org.allowedMethods)) throw new DomainError("TEAMMATE_HAS_TWO_FACTOR");
    const { count } = await tx.membership.updateMany({
      where: {
        id: target.id,
        OR: [
          { twoFactorReminderAt: null },
          { twoFactorReminderAt: { lte: new Date(now.getTime() - REMINDER_INTERVAL_MS) } },
        ],
      },
      data: { twoFactorReminderAt: now },
    });
    if (count !== 1) {
      const last = (await tx.membership.findUniqueOrThrow({ where: { id: target.id } })).twoFactorReminderAt ?? now;
      throw new DomainError("REMINDER_RATE_LIMITED", {
        detail: reminderRateLimitDetail(last, new Date(last.getTime() + REMINDER_INTERVAL_MS), context.timeZone),
      });
    }
    const [admin, organization] = await Promise.all([
      tx.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { name: true } }),
      tx.organization.findUniqueOrThrow({ where: { id: organizationOf(actor) }, select: { name: true } }),
    ]);
    await enqueueMail(tx, {
      to: target.user.email,
      template: "two-factor-reminder",
      data: {
        name: target.user.name,
        adminName: admin.name,
        organizationName: organization.name,
        setupUrl: twoFactorSetupUrl(),
        ...(isExempt(target, now) && target.twoFactorExemptUntil
          ? { exemptUntil: target.twoFactorExemptUntil.toISOString() }
          : {}),
      },
    });
    await recordAuditEvent(tx, {
      type: "2fa.reminder_sent",
      organizationId: organizationOf(actor),
      actorId: actor.userId,
      targetId: target.userId,
      context,
      metadata: { membershipId: target.id },
    });
    return { sentTo: target.user.email, nextAllowedAt: new Date(now.getTime() + REMINDER_INTERVAL_MS) };
  });
}
