import { Prisma } from "../../db";
import type { TeammatesQuery } from "../../validation/teammates";
import { hasAppSql, hasSmsSql } from "../two-factor/factors";

// The Users table's search and filters as SQL over `"Membership" m` (joined with `"User" u` when filterNeedsUser)
// (page, count and CSV export alike). Whitelisted values only: the search text is a bound parameter with LIKE's wildcards escaped.

const ROLE = { owner: "OWNER", admin: "ADMIN", member: "MEMBER" } as const;
const TYPE = { employee: "EMPLOYEE", client: "CLIENT", contractor: "CONTRACTOR" } as const;

/** Whether the filters read the user row (`u`): only the 2FA states that depend on signing in through SSO. */
export function filterNeedsUser(query: TeammatesQuery): boolean {
  return query.status === "exempt-sso" || query.status === "exempt-until" || query.status === "not-set-up";
}

/** The WHERE of the view over `"Membership" m`, joined with `"User" u` when filterNeedsUser says so. */
export function whereClause(organizationId: string, query: TeammatesQuery, now: Date): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`m."organizationId" = ${organizationId}`, Prisma.sql`m."status" = 'ACTIVE'`];
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // The membership's copies of the user's name and email (kept by triggers): no User look-up per walked row.
    parts.push(Prisma.sql`(m."userName" ILIKE ${pattern} OR m."userEmail" ILIKE ${pattern})`);
  }
  if (query.role !== "any") parts.push(Prisma.sql`m."role" = ${ROLE[query.role]}::"Role"`);
  if (query.type !== "any") parts.push(Prisma.sql`m."type" = ${TYPE[query.type]}::"MembershipType"`);
  // Any second factor: an authenticator app or a phone for SMS codes (issue 12).
  const userId = Prisma.sql`m."userId"`;
  // "Has a factor" as ONE correlated EXISTS over both tables: two primary-key look-ups per row (EXISTS … OR EXISTS …
  // may be planned as a hash of every authenticator in the database).
  const hasTotp = Prisma.sql`EXISTS (SELECT 1 FROM "TotpFactor" tf WHERE tf."userId" = ${userId}
    UNION ALL SELECT 1 FROM "PhoneFactor" pf WHERE pf."userId" = ${userId})`;
  // "No factor" as two NOT EXISTS: anti-joins with an index look-up per walked row (NOT (EXISTS … OR EXISTS …) is
  // planned as a hash of every authenticator in the database).
  const noFactor = Prisma.sql`NOT ${hasAppSql(userId)} AND NOT ${hasSmsSql(userId)}`;
  const exempt = Prisma.sql`(m."twoFactorExemptUntil" IS NOT NULL AND m."twoFactorExemptUntil" > ${now}::timestamp)`;
  // SSO users count as exempt only while the organization's "exempt SSO users" option is on (issue 4): a constant
  // subquery, evaluated once per statement.
  const sso = Prisma.sql`(u."signInMethod" = 'SSO' AND (SELECT o."exemptSso" FROM "Organization" o WHERE o."id" = ${organizationId}))`;
  if (query.status === "enabled") parts.push(hasTotp);
  if (query.status === "exempt-sso") parts.push(Prisma.sql`${noFactor} AND ${sso}`);
  if (query.status === "exempt-until") parts.push(Prisma.sql`${noFactor} AND NOT ${sso} AND ${exempt}`);
  if (query.status === "not-set-up") parts.push(Prisma.sql`${noFactor} AND NOT ${sso} AND NOT ${exempt}`);
  // By method, with the words of the 2FA column: "App" (app only), "SMS" (phone only), "App + SMS".
  if (query.method === "app") parts.push(Prisma.sql`${hasAppSql(userId)} AND NOT ${hasSmsSql(userId)}`);
  if (query.method === "sms") parts.push(Prisma.sql`${hasSmsSql(userId)} AND NOT ${hasAppSql(userId)}`);
  if (query.method === "both") parts.push(Prisma.sql`${hasAppSql(userId)} AND ${hasSmsSql(userId)}`);
  return Prisma.join(parts, " AND ");
}
