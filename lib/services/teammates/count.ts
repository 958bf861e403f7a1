import { Prisma, type Tx } from "../../db";
import type { TeammatesQuery } from "../../validation/teammates";
import { filterNeedsUser, whereClause } from "./filter";

// How many members the Users table's current view shows, without reading a 100,000-member organization per request
// (issue 13, target 3).

/** Members read to estimate the share of the organization a filter matches. */
export const COUNT_SAMPLE = 1_000;
/** A filter matching fewer than this many of the sample is rare: counted exactly, up to COUNT_EXACT_UP_TO. */
const RARE_HITS = 10;
/** The most matches an exact count reads; beyond, the sample's estimate stands. */
export const COUNT_EXACT_UP_TO = 5_000;

export interface TableCount {
  total: number;
  exact: boolean;
}

function isFilteredQuery(query: TeammatesQuery): boolean {
  return (
    query.q !== "" || query.status !== "any" || query.method !== "any" || query.role !== "any" || query.type !== "any"
  );
}

/** Two significant figures: 48,713 → 49,000 (what "about" promises). */
function roughly(n: number): number {
  if (n < 100) return Math.round(n);
  const unit = 10 ** (Math.floor(Math.log10(n)) - 1);
  return Math.round(n / unit) * unit;
}

/**
 * Members matching the search and filters (no authorization here), without reading the whole organization:
 * - no filter: Organization.activeMemberCount, exact, kept by triggers on Membership (migration
 *   20261201171000_teammates_table_indexes);
 * - a filter: first a sample, the organization's first COUNT_SAMPLE members in (organization, user) index order.
 *   An organization that small is counted exactly by it. A filter matching at least RARE_HITS of the sample is
 *   estimated as that share of the organization, to two significant figures, and marked as an estimate (the page says
 *   "about"; the sample follows user ids, so it leans towards the oldest accounts). A rarer filter is counted exactly
 *   (up to COUNT_EXACT_UP_TO), driven by its index: the trigram search, or the membership filters.
 */
export async function tableCount(
  tx: Tx,
  organizationId: string,
  query: TeammatesQuery,
  now: Date,
  /** The organization's member count when the caller reads it anyway (a promise: the sample is read meanwhile). */
  memberCount?: number | Promise<number>,
): Promise<TableCount> {
  const membersRead = Promise.resolve(
    memberCount ??
      tx.organization
        .findUniqueOrThrow({ where: { id: organizationId }, select: { activeMemberCount: true } })
        .then((o) => o.activeMemberCount),
  );
  if (!isFilteredQuery(query)) return { total: await membersRead, exact: true };
  membersRead.catch(() => {}); // awaited below, after the sample
  const where = whereClause(organizationId, query, now);
  const needsUser = filterNeedsUser(query);
  // The sample is cut first, then the filter runs on its rows only: each 2FA condition (and the user, when a filter
  // reads it) is an index look-up per sampled row (LATERAL … LIMIT 1 keeps the planner from hashing the whole User
  // table instead). The search reads the membership's own copies of name and email.
  const user = needsUser
    ? Prisma.sql`CROSS JOIN LATERAL (SELECT * FROM "User" u WHERE u."id" = m."userId" LIMIT 1) u`
    : Prisma.empty;
  const [sample] = await tx.$queryRaw<{ hits: number; seen: number }[]>`
    SELECT count(*) FILTER (WHERE ${where})::int AS hits, count(*)::int AS seen
    FROM (
      SELECT * FROM "Membership" m
      WHERE m."organizationId" = ${organizationId} AND m."status" = 'ACTIVE'
      ORDER BY m."organizationId", m."userId"
      LIMIT ${COUNT_SAMPLE}
    ) m ${user}`;
  const hits = Number(sample?.hits ?? 0);
  const seen = Number(sample?.seen ?? 0);
  if (seen < COUNT_SAMPLE) return { total: hits, exact: true };
  const members = await membersRead;
  const estimate = { total: Math.min(members, roughly((hits / seen) * members)), exact: false };
  if (hits >= RARE_HITS) return estimate;
  // Rare: count exactly, the search through the memberships' trigram indexes, other filters through the memberships'
  // indexes.
  const from = needsUser ? Prisma.sql`"Membership" m JOIN "User" u ON u."id" = m."userId"` : Prisma.sql`"Membership" m`;
  const [bounded] = await tx.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM (SELECT 1 FROM ${from} WHERE ${where} LIMIT ${COUNT_EXACT_UP_TO + 1}) matching`;
  const n = Number(bounded?.n ?? 0);
  return n <= COUNT_EXACT_UP_TO ? { total: n, exact: true } : { ...estimate, total: Math.max(estimate.total, n) };
}
