import { type Actor, ADMINS } from "../../auth/actor";
import { db, inTransaction, type Tx } from "../../db";
import { DomainError } from "../../errors";
import type { LockedFactor } from "../../mail/templates/account-locked";
import { type RequestContext, recordAuditEvent } from "../audit/audit-log";
import { actorMembership, organizationOf, targetMembership } from "../authz";
import { enqueueMail } from "../outbox/outbox";
import { passwordKeys } from "../rate-limit/password-limits";
import { succeed, succeedPrefix } from "../rate-limit/reset";
import { secondFactorKey } from "../two-factor/lock-policy";
import { assertRecentStepUp } from "../two-factor/step-up";
import { lockStatuses } from "./lock-status";

// An administrator's unlock of a locked teammate (issue 9 item 3; S11: a locked-out user has a documented way back).
// An unlock lets more guesses in, so it is treated like the other admin actions on a teammate's sign-in (S25:
// object-level authorization; S26: a recent second-factor check of the admin): same organization, owners and admins
// only, never the owner (nor anyone who owns an organization) unless you are the owner, never yourself, a recent
// step-up; audited in every organization of the teammate (S40: each organization sees what concerns it) and mailed to
// them, in one transaction.

/**
 * Unlocks a teammate: forgets the password failures of their account (every network) and of their second factor, as a
 * success would. Refused with TEAMMATE_NOT_LOCKED when nothing is locked (nothing changes).
 */
export async function unlockTeammate(
  { actor, input, context }: { actor: Actor; input: { membershipId: string }; context: RequestContext },
  { tx: outer = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<{ unlocked: LockedFactor[] }> {
  return inTransaction(outer, async (tx) => {
    const own = await actorMembership(tx, actor, ADMINS);
    if (own.id === input.membershipId) throw new DomainError("NOT_ON_YOURSELF");
    const target = await targetMembership(tx, actor, input.membershipId);
    if (own.role !== "OWNER") {
      const ownsAnOrganization = await tx.membership.count({
        where: { userId: target.userId, role: "OWNER", status: "ACTIVE" },
      });
      if (ownsAnOrganization > 0) throw new DomainError("OWNER_PROTECTED");
    }
    await assertRecentStepUp(tx, actor.sessionId, now, actor.userId);

    const { id: userId, email, name } = target.user;
    // Serialize concurrent unlocks (and see the locks as they are now).
    await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${userId} FOR UPDATE`;
    const status = (await lockStatuses(tx, [{ userId, email }], now)).get(userId);
    if (!status) throw new DomainError("TEAMMATE_NOT_LOCKED");
    const unlocked: LockedFactor[] = [];
    if (status.passwordUntil) unlocked.push("password");
    if (status.secondFactorUntil) unlocked.push("second-factor");

    await succeed(tx, passwordKeys.account(email), now);
    await succeedPrefix(tx, passwordKeys.accountNetworks(email), now);
    await succeed(tx, secondFactorKey(userId), now);

    // One query at a time: a transaction is one connection.
    const admin = await tx.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { name: true } });
    const organization = await tx.organization.findUniqueOrThrow({
      where: { id: organizationOf(actor) },
      select: { name: true },
    });
    const memberships = await tx.membership.findMany({
      where: { userId, status: "ACTIVE" },
      select: { organizationId: true },
    });
    // S40: every organization of the teammate sees it, and which organization did it.
    for (const { organizationId } of memberships) {
      await recordAuditEvent(tx, {
        type: "account.unlocked",
        organizationId,
        actorId: actor.userId,
        targetId: userId,
        context,
        metadata: {
          factors: unlocked,
          byOrganizationId: organizationOf(actor),
          byOrganization: organization.name,
          ...(status.passwordUntil ? { passwordLockedUntil: status.passwordUntil.toISOString() } : {}),
          ...(status.secondFactorUntil ? { secondFactorLockedUntil: status.secondFactorUntil.toISOString() } : {}),
        },
      });
    }
    await enqueueMail(tx, {
      to: email,
      template: "account-unlocked",
      data: {
        name,
        adminName: admin.name,
        organizationName: organization.name,
        factors: unlocked,
        at: now.toISOString(),
      },
    });
    return { unlocked };
  });
}
