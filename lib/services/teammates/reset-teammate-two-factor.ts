import { type Actor, ADMINS } from "../../auth/actor";
import { db, type Tx } from "../../db";
import { DomainError } from "../../errors";
import { reEnrollUrl } from "../../urls";
import { type AuditInput, type RequestContext, recordAuditEvent } from "../audit/audit-log";
import { actorMembership, organizationOf, targetMembership } from "../authz";
import { enqueueMail } from "../outbox/outbox";
import { succeed } from "../rate-limit/reset";
import { revokeUserSessions } from "../sessions/revoke-user-sessions";
import { createReEnrollmentToken } from "../two-factor/re-enrollment";
import { issueRecoveryCodes } from "../two-factor/recovery";
import { assertRecentStepUp } from "../two-factor/step-up";
import { secondFactorKey } from "../two-factor/verification";

// Administrators acting on a teammate's two-factor authentication (S25–S28): reset it (the teammate sets it up again
// through a mailed single-use link) or mail them a new set of recovery codes. Each action checks, inside its one
// transaction, who may act on whom (S25) and a recent step-up of the admin (S26); the admin never sees a secret, a
// code or the link (S27); the change, its audit row and its mail commit together or not at all.

// The step-up and the teammate's side of a reset live in their own modules; re-exported for the admin pages.
export { redeemReEnrollmentToken } from "../two-factor/re-enrollment";
export { assertRecentStepUp, STEP_UP_MAX_AGE_MS, stepUp } from "../two-factor/step-up";

/**
 * S25: the actor is an active owner/admin of the organization (else FORBIDDEN); never on their own account
 * (NOT_ON_YOURSELF: their own security settings do that); the target is an active membership of the SAME organization
 * (else NOT_FOUND) and not an owner (OWNER_PROTECTED). 2FA belongs to the account, not to the membership, so a
 * teammate who owns any organization is protected too, and one who is a member of another organization is refused
 * (TEAMMATE_IN_OTHER_ORGANIZATION, S40). Then S26: a step-up within the last 10 minutes.
 */
async function authorizeTeammateAction(tx: Tx, actor: Actor, membershipId: string, now: Date) {
  const own = await actorMembership(tx, actor, ADMINS);
  if (own.id === membershipId) throw new DomainError("NOT_ON_YOURSELF");
  const target = await targetMembership(tx, actor, membershipId);
  const ownsAnOrganization = await tx.membership.count({
    where: { userId: target.userId, role: "OWNER", status: "ACTIVE" },
  });
  if (ownsAnOrganization > 0) throw new DomainError("OWNER_PROTECTED");
  // S40: an organization acts only on what it owns. 2FA protects the account in every organization it belongs to, so
  // an account that is also a member elsewhere is not this organization's to strip. The other organization is not
  // named: its membership is none of this admin's business.
  const elsewhere = await tx.membership.count({
    where: { userId: target.userId, status: "ACTIVE", organizationId: { not: organizationOf(actor) } },
  });
  if (elsewhere > 0)
    throw new DomainError("TEAMMATE_IN_OTHER_ORGANIZATION", {
      detail: `${target.user.name} can reset it themselves: sign in with one of their recovery codes, then move 2FA to a new app in Profile › Security. If they have no recovery codes left, the owner of their other organization can help.`,
    });
  await assertRecentStepUp(tx, actor.sessionId, now, actor.userId);
  const [admin, organization] = await Promise.all([
    tx.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { name: true } }),
    tx.organization.findUniqueOrThrow({ where: { id: organizationOf(actor) }, select: { name: true } }),
  ]);
  return { target, adminName: admin.name, organizationName: organization.name };
}

/**
 * S40: a change to an account's 2FA is recorded in every organization the account belongs to (and in the acting
 * admin's), so no organization learns of it only from the person.
 */
async function auditEverywhere(
  tx: Tx,
  actor: Actor,
  targetId: string,
  event: Pick<AuditInput, "type" | "context" | "metadata">,
): Promise<void> {
  const rows = await tx.membership.findMany({
    where: { userId: targetId, status: "ACTIVE" },
    select: { organizationId: true },
  });
  const organizationIds = new Set([organizationOf(actor), ...rows.map((r) => r.organizationId)]);
  for (const organizationId of organizationIds)
    await recordAuditEvent(tx, { ...event, organizationId, actorId: actor.userId, targetId });
}

/**
 * Resets a teammate's 2FA (S28): removes their authenticator, pending enrollment and recovery codes, clears their
 * second-factor failure counter (and lock), signs them out everywhere, and mails them a single-use link (24 h) to set
 * up a new authenticator. Refused with TEAMMATE_NO_TWO_FACTOR when they have no authenticator. Returns no secret.
 */
export async function resetTeammateTwoFactor(
  actor: Actor,
  input: { membershipId: string },
  context: RequestContext,
  now = new Date(),
): Promise<{ sessionsRevoked: number; linkExpiresAt: Date }> {
  return db.$transaction(async (tx) => {
    const { target, adminName, organizationName } = await authorizeTeammateAction(tx, actor, input.membershipId, now);
    const userId = target.userId;
    // The factor row decides "has 2FA"; deleting it first also serializes concurrent resets of the same person.
    const { count } = await tx.totpFactor.deleteMany({ where: { userId } });
    if (count !== 1) throw new DomainError("TEAMMATE_NO_TWO_FACTOR", { detail: "There is nothing to reset." });
    await tx.totpEnrollment.deleteMany({ where: { userId } });
    const codes = await tx.recoveryCode.deleteMany({ where: { userId } });
    await succeed(tx, secondFactorKey(userId), now);
    // Every session and every half-finished sign-in of the teammate ends now (S21, S28).
    const sessionsRevoked = await revokeUserSessions(tx, { userId, reason: "two-factor-reset-by-admin" }, now);
    await tx.signInChallenge.updateMany({ where: { userId, consumedAt: null }, data: { consumedAt: now } });
    await tx.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
    // Remembered devices (S28) do not exist yet: when they do, revoke the teammate's devices here, in this transaction.
    const link = await createReEnrollmentToken(
      tx,
      { userId, organizationId: organizationOf(actor), createdById: actor.userId },
      now,
    );
    await auditEverywhere(tx, actor, userId, {
      type: "2fa.admin_reset",
      context,
      metadata: {
        membershipId: target.id,
        sessionsRevoked,
        recoveryCodesDeleted: codes.count,
        linkExpiresAt: link.expiresAt.toISOString(),
      },
    });
    await enqueueMail(tx, {
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

/**
 * Replaces a teammate's recovery codes with a new set of 10 and mails them to the teammate only (S27): the old set
 * stops working, and the return value carries the count, never a code. Refused with TEAMMATE_NO_TWO_FACTOR when the
 * teammate has no authenticator (codes are a fallback for it).
 */
export async function issueRecoveryCodesForTeammate(
  actor: Actor,
  input: { membershipId: string },
  context: RequestContext,
  now = new Date(),
): Promise<{ issued: number }> {
  return db.$transaction(async (tx) => {
    const { target, adminName, organizationName } = await authorizeTeammateAction(tx, actor, input.membershipId, now);
    const userId = target.userId;
    // Lock the factor row so that a concurrent reset cannot remove it between this check and the new codes.
    const factor = await tx.$queryRaw<{ userId: string }[]>`
      SELECT "userId" FROM "TotpFactor" WHERE "userId" = ${userId} FOR UPDATE`;
    if (factor.length !== 1) {
      throw new DomainError("TEAMMATE_NO_TWO_FACTOR", {
        detail: "Recovery codes are a backup for an authenticator app: ask them to set one up first.",
      });
    }
    const codes = await issueRecoveryCodes(tx, userId, now);
    await auditEverywhere(tx, actor, userId, {
      type: "2fa.recovery_codes_issued",
      context,
      metadata: { membershipId: target.id, issued: codes.length },
    });
    await enqueueMail(tx, {
      to: target.user.email,
      template: "recovery-codes-issued",
      data: { name: target.user.name, adminName, organizationName, at: now.toISOString(), codes },
    });
    return { issued: codes.length };
  });
}
