import { Prisma, type Tx } from "../../db";
import type { OrgTwoFactorData } from "../../mail/templates";
import { twoFactorSetupUrl } from "../../urls";
import { enqueueMailsFromQuery } from "../outbox/outbox";
import { nonCompliantSql, type PolicyRow } from "./policy";

// The announcement of a policy change (issue 4): one "org-two-factor" mail per active member, its kind chosen by
// whether the member complies with the policy as it now is. At 100,000 members (issue 13, target 6) the mails are
// built by the database in ONE INSERT … SELECT over Membership ⨝ User: the template carries nothing secret (names, the
// organization, the mode, the deadline, the public setup link), so nothing needs sealing per mail in the process.

type Kind = OrgTwoFactorData["kind"];

export interface AnnouncementKinds {
  /** The mail for members who comply, or null for none. */
  compliant: Kind | null;
  /** The mail for members who do not comply, or null for none. */
  nonCompliant: Kind | null;
  /** The organization stopped exempting SSO users: its SSO members who do not comply get "sso-exemption-removed"
   *  (in their own words) instead of the mail above (issue 10, item 8). */
  ssoExemptionRemoved?: boolean;
}

/** Kinds that ask the member to act: their mail carries the setup link. */
const NEEDS_SETUP: readonly Kind[] = ["enrol", "changed", "reminder", "sso-exemption-removed"];

/** Queues the announcement for every active member (one statement); returns how many mails were queued. */
export async function queueAnnouncement(
  tx: Tx,
  org: Pick<PolicyRow, "id" | "name" | "exemptSso" | "allowedMethods">,
  base: Omit<OrgTwoFactorData, "name" | "organizationName" | "kind">,
  kinds: AnnouncementKinds,
  now: Date,
): Promise<number> {
  if (!kinds.compliant && !kinds.nonCompliant && !kinds.ssoExemptionRemoved) return 0;
  const without = nonCompliantSql(org, now);
  const sso = kinds.ssoExemptionRemoved ? Prisma.sql`u."signInMethod" = 'SSO'` : Prisma.sql`false`;
  // JSON round trip: the stored data is exactly what a template gets back (no undefined).
  const shared = JSON.stringify({ ...JSON.parse(JSON.stringify(base)), organizationName: org.name });
  const { count } = await enqueueMailsFromQuery(
    tx,
    "org-two-factor",
    Prisma.sql`
      SELECT a."email" AS "to",
             ${shared}::jsonb || jsonb_build_object('kind', a."kind", 'name', a."name")
               || (CASE WHEN a."kind" = ANY(${[...NEEDS_SETUP]}::text[])
                        THEN jsonb_build_object('setupUrl', ${twoFactorSetupUrl()}::text) ELSE '{}'::jsonb END) AS "data"
      FROM (
        SELECT u."email", u."name",
               CASE WHEN ${without} THEN (CASE WHEN ${sso} THEN 'sso-exemption-removed' ELSE ${kinds.nonCompliant}::text END)
                    ELSE ${kinds.compliant}::text END AS "kind"
        FROM "Membership" m JOIN "User" u ON u."id" = m."userId"
        WHERE m."organizationId" = ${org.id} AND m."status" = 'ACTIVE'
      ) a
      WHERE a."kind" IS NOT NULL`,
  );
  return count;
}
