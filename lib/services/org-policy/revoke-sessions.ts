import type { SignOutReason } from "../../auth/sign-out-reasons";
import type { Tx } from "../../db";
import { recordAuditEvent } from "../audit/audit-log";
import { nonCompliantMembers, type PolicyRow } from "./policy";

/**
 * Revokes, in one UPDATE, every active session of the organization's members who do not comply at `now`. A session
 * belongs to the account, not to one organization: members who also belong to other organizations are signed out
 * there too, so each of those organizations gets a "session.revoked" audit row saying why (S40: an account may belong to several organizations).
 */
export async function revokeNonCompliantSessions(
  tx: Tx,
  org: Pick<PolicyRow, "id" | "exemptSso" | "allowedMethods">,
  now: Date,
  reason: Extract<SignOutReason, "organization_requires_2fa" | "two_factor_deadline_passed">,
): Promise<number> {
  const affected = nonCompliantMembers(org, now);
  const elsewhere = await tx.membership.findMany({
    where: {
      status: "ACTIVE",
      organizationId: { not: org.id },
      user: { memberships: { some: affected }, sessions: { some: { revokedAt: null, expiresAt: { gt: now } } } },
    },
    select: { organizationId: true, userId: true },
  });
  const { count } = await tx.session.updateMany({
    where: { revokedAt: null, user: { memberships: { some: affected } } },
    data: { revokedAt: now, revokedReason: reason },
  });
  for (const m of elsewhere)
    await recordAuditEvent(tx, {
      type: "session.revoked",
      organizationId: m.organizationId,
      // The other organization's admin is no one this organization knows: the row names only its own member.
      actorId: null,
      targetId: m.userId,
      metadata: { reason, byAnotherOrganization: true },
    });
  return count;
}
