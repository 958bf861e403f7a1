import type { SignOutReason } from "../../auth/sign-out-reasons";
import type { Tx } from "../../db";
import { recordAuditEvent } from "../audit/audit-log";
import { nonCompliantSql, type PolicyRow } from "./policy";

/**
 * Revokes, in one UPDATE, every active session of the organization's members who do not comply at `now`. A session
 * belongs to the account, not to one organization: members who also belong to other organizations are signed out
 * there too, so each of those organizations gets a "session.revoked" audit row saying why (S40: an account may belong to several organizations).
 * The same statement returns those other memberships (of the people whose live session it revoked), so 100,000 members
 * cost one pass (issue 13, target 6).
 */
export async function revokeNonCompliantSessions(
  tx: Tx,
  org: Pick<PolicyRow, "id" | "exemptSso" | "allowedMethods">,
  now: Date,
  reason: Extract<SignOutReason, "organization_requires_2fa" | "two_factor_deadline_passed">,
): Promise<number> {
  const [result] = await tx.$queryRaw<{ revoked: number; elsewhere: { organizationId: string; userId: string }[] }[]>`
    WITH affected AS (
      SELECT m."userId" FROM "Membership" m JOIN "User" u ON u."id" = m."userId"
      WHERE m."organizationId" = ${org.id} AND m."status" = 'ACTIVE' AND ${nonCompliantSql(org, now)}
    ), revoked AS (
      UPDATE "Session" s SET "revokedAt" = ${now}::timestamp, "revokedReason" = ${reason}
      FROM affected a WHERE s."userId" = a."userId" AND s."revokedAt" IS NULL
      RETURNING s."userId", (s."expiresAt" > ${now}::timestamp) AS "live"
    ), elsewhere AS (
      SELECT DISTINCT o."organizationId", o."userId"
      FROM (SELECT DISTINCT r."userId" FROM revoked r WHERE r."live") r
      JOIN "Membership" o ON o."userId" = r."userId" AND o."organizationId" <> ${org.id} AND o."status" = 'ACTIVE'
    )
    SELECT (SELECT count(*) FROM revoked)::int AS "revoked",
           COALESCE((SELECT json_agg(json_build_object('organizationId', e."organizationId", 'userId', e."userId")
                                     ORDER BY e."organizationId", e."userId") FROM elsewhere e), '[]'::json) AS "elsewhere"`;
  for (const m of result?.elsewhere ?? [])
    await recordAuditEvent(tx, {
      type: "session.revoked",
      organizationId: m.organizationId,
      // The other organization's admin is no one this organization knows: the row names only its own member.
      actorId: null,
      targetId: m.userId,
      metadata: { reason, byAnotherOrganization: true },
    });
  return Number(result?.revoked ?? 0);
}
