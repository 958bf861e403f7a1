import { type Actor, ADMINS } from "../../auth/actor";
import type { Tx } from "../../db";
import { DomainError, teammateInOtherOrganizationDetail } from "../../errors";
import { type AuditInput, recordAuditEvent } from "../audit/audit-log";
import { actorMembership, organizationOf, targetMembership } from "../authz";
import { assertRecentStepUp } from "../two-factor/step-up";

// Administrators acting on a teammate's two-factor authentication (rules S25–S28): reset it (the teammate sets it up
// again through a mailed single-use link, reset-teammate-two-factor.ts) or mail them a new set of recovery codes
// (issue-teammate-recovery-codes.ts). Each action checks, inside its one transaction, who may act on whom (S25: the
// service itself checks who may act on whom, in which organization) and a recent step-up of the admin (S26: a fresh
// second factor of the acting admin); the admin never sees a secret, a code or the link (S27: secrets go to the
// teammate only); the change, its audit row and its mail commit together or not at all.

/**
 * S25 (who may act on whom): the actor is an active owner/admin of the organization (else FORBIDDEN); never on their
 * own account (NOT_ON_YOURSELF: their own security settings do that); the target is an active membership of the SAME
 * organization (else NOT_FOUND) and not an owner (OWNER_PROTECTED). 2FA belongs to the account, not to the membership,
 * so a teammate who owns any organization is protected too, and one who is a member of another organization is refused
 * (TEAMMATE_IN_OTHER_ORGANIZATION, S40: an organization acts only on accounts it alone holds). Then S26 (step-up): a
 * step-up of the acting admin within the last 10 minutes.
 * `accountsInOtherOrganizations: "allow"` is for actions that protect the account instead of stripping its 2FA (signing
 * a teammate out everywhere): S40 asks those to be audited in every organization of the account, not refused.
 */
export async function authorizeTeammateAction(
  tx: Tx,
  actor: Actor,
  membershipId: string,
  now: Date,
  { accountsInOtherOrganizations = "refuse" }: { accountsInOtherOrganizations?: "refuse" | "allow" } = {},
) {
  const own = await actorMembership(tx, actor, ADMINS);
  if (own.id === membershipId) throw new DomainError("NOT_ON_YOURSELF");
  const target = await targetMembership(tx, actor, membershipId);
  const ownsAnOrganization = await tx.membership.count({
    where: { userId: target.userId, role: "OWNER", status: "ACTIVE" },
  });
  if (ownsAnOrganization > 0) throw new DomainError("OWNER_PROTECTED");
  // S40 (accounts in several organizations): an organization acts only on what it owns. 2FA protects the account in
  // every organization it belongs to, so an account that is also a member elsewhere is not this organization's to
  // strip. The other organization is not named: its membership is none of this admin's business.
  const elsewhere =
    accountsInOtherOrganizations === "allow"
      ? 0
      : await tx.membership.count({
          where: { userId: target.userId, status: "ACTIVE", organizationId: { not: organizationOf(actor) } },
        });
  if (elsewhere > 0)
    throw new DomainError("TEAMMATE_IN_OTHER_ORGANIZATION", {
      detail: teammateInOtherOrganizationDetail(target.user.name),
    });
  await assertRecentStepUp(tx, actor.sessionId, now, actor.userId);
  const [admin, organization] = await Promise.all([
    tx.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { name: true } }),
    tx.organization.findUniqueOrThrow({ where: { id: organizationOf(actor) }, select: { name: true } }),
  ]);
  return { target, adminName: admin.name, organizationName: organization.name };
}

/**
 * S40 (accounts in several organizations): a change to an account's 2FA is recorded in every organization the account
 * belongs to (and in the acting admin's), so no organization learns of it only from the person.
 */
export async function auditEverywhere(
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
