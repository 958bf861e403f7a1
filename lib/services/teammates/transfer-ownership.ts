import type { Actor } from "../../auth/actor";
import { db, type Tx } from "../../db";
import { DomainError, fieldError, ownershipTargetNoTwoFactorField } from "../../errors";
import { type RequestContext, recordAuditEvent } from "../audit/audit-log";
import { organizationOf } from "../authz";
import { enqueueMail } from "../outbox/outbox";
import type { SecondFactorMethod } from "../two-factor/factor-types";
import { factorsOf, hasAnyFactor } from "../two-factor/factors";
import { requirePassword } from "../two-factor/password";
import { verifySecondFactor } from "../two-factor/verification";
import { eligibleWhere, ownerMembership } from "./transfer-options";

// Settings > Owner: the owner hands the organization to an administrator who has two-factor authentication (an app or
// a phone). Confirmed with the owner's password and a current code — from the app, a texted one, or a recovery code —
// (through verifySecondFactor, purpose "transfer"); the owner must have 2FA themselves, so both sides of the most powerful role are protected by it.
// Exactly one owner at any time: the demotion and the promotion are conditional updates that must each change exactly
// one row, in the code's own transaction, so of two concurrent transfers only one can commit.

/** Why `membershipId` cannot receive ownership from `actor` (a clear error, as a field message), or nothing. */
async function assertEligible(tx: Tx, actor: Actor, membershipId: string) {
  const target = await tx.membership.findUnique({
    where: { id: membershipId },
    include: { user: { select: { id: true, name: true, email: true } } },
  });
  // Another organization's membership reads exactly like a missing one: nothing about it leaks.
  if (
    !target ||
    target.organizationId !== organizationOf(actor) ||
    target.status !== "ACTIVE" ||
    target.role !== "ADMIN" ||
    target.userId === actor.userId
  ) {
    throw fieldError("OWNERSHIP_TARGET_INVALID", { membershipId: "OWNERSHIP_TARGET_INVALID" });
  }
  if (!hasAnyFactor(await factorsOf(target.user.id, { tx }))) {
    throw new DomainError("OWNERSHIP_TARGET_NO_TWO_FACTOR", {
      fields: { membershipId: ownershipTargetNoTwoFactorField(target.user.name) },
    });
  }
  return target;
}

/**
 * Makes the administrator `membershipId` the owner and the current owner an administrator. Checks, in this order,
 * without consuming anything: the actor is the owner (OWNERSHIP_NOT_OWNER), the target is an active admin of the same
 * organization (OWNERSHIP_TARGET_INVALID) with 2FA (OWNERSHIP_TARGET_NO_TWO_FACTOR), the owner has 2FA
 * (OWNERSHIP_OWNER_NO_TWO_FACTOR); then the password (INVALID_PASSWORD, throttled) and the code (the errors of
 * verifySecondFactor). Role changes, the audit row and both mails commit together with the code, or nothing does.
 */
export async function transferOwnership(
  {
    actor,
    input,
    context,
  }: {
    actor: Actor;
    input: { membershipId: string; password: string; code: string; method?: SecondFactorMethod | undefined };
    context: RequestContext;
  },
  { now = new Date() }: { now?: Date } = {},
): Promise<{ newOwner: { name: string; email: string } }> {
  const own = await ownerMembership(db, actor);
  await assertEligible(db, actor, input.membershipId);
  if (!hasAnyFactor(await factorsOf(actor.userId))) throw new DomainError("OWNERSHIP_OWNER_NO_TWO_FACTOR");
  const previous = await requirePassword(actor.userId, input.password, context, now);

  const { result } = await verifySecondFactor(
    actor.userId,
    { method: input.method ?? "totp", code: input.code },
    { purpose: "transfer", context, now },
    async (tx) => {
      // Conditional updates: a concurrent transfer (or a role change) that got there first leaves 0 rows to change,
      // and this transaction rolls back, code included.
      const demoted = await tx.membership.updateMany({
        where: { organizationId: organizationOf(actor), userId: actor.userId, role: "OWNER", status: "ACTIVE" },
        data: { role: "ADMIN" },
      });
      if (demoted.count !== 1) throw new DomainError("OWNERSHIP_NOT_OWNER");
      const promoted = await tx.membership.updateMany({
        where: { ...eligibleWhere(organizationOf(actor)), id: input.membershipId, userId: { not: actor.userId } },
        data: { role: "OWNER" },
      });
      if (promoted.count !== 1) {
        await assertEligible(tx, actor, input.membershipId); // the precise reason, when there is one
        throw new DomainError("OWNERSHIP_TARGET_INVALID");
      }
      const [target, organization] = await Promise.all([
        tx.membership.findUniqueOrThrow({
          where: { id: input.membershipId },
          include: { user: { select: { id: true, name: true, email: true } } },
        }),
        tx.organization.findUniqueOrThrow({ where: { id: organizationOf(actor) }, select: { name: true } }),
      ]);
      await recordAuditEvent(tx, {
        type: "ownership.transferred",
        organizationId: organizationOf(actor),
        actorId: actor.userId,
        targetId: target.userId,
        context,
        metadata: { fromMembershipId: own.id, toMembershipId: target.id },
      });
      const base = {
        organizationName: organization.name,
        previousOwnerName: previous.name,
        newOwnerName: target.user.name,
        at: now.toISOString(),
        ip: context.ip ?? undefined,
        userAgent: context.userAgent ?? undefined,
      };
      await enqueueMail(tx, {
        to: target.user.email,
        template: "ownership-transferred",
        data: { ...base, recipient: "new-owner", name: target.user.name },
      });
      await enqueueMail(tx, {
        to: previous.email,
        template: "ownership-transferred",
        data: { ...base, recipient: "previous-owner", name: previous.name },
      });
      return { newOwner: { name: target.user.name, email: target.user.email } };
    },
  );
  return result;
}
