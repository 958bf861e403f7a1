import { type Actor, ADMINS } from "../../auth/actor";
import type { MembershipType, Role, SignInMethod } from "../../db";
import { db, Prisma, type Tx } from "../../db";
import type { TeammatesQuery, UsersTableColumn } from "../../validation/teammates";
import type { RequestContext } from "../audit/audit-log";
import { actorMembership, organizationOf } from "../authz";
import { factorMethodLabel, hasAnyFactor } from "../two-factor/factors";
import { columnsFrom } from "./columns";
import { tableCount } from "./count";
import { filterNeedsUser, whereClause } from "./filter";

// Settings > Users for administrators: every member with the security columns (2FA status, recovery readiness),
// searched, filtered, sorted and paginated in SQL. One keyset page on (sort key, membership id): the cursor is a
// membership id whose sort key is read back in the same statement, so a page costs the same at any depth and a
// tampered cursor can only point at a row of the actor's own organization (otherwise the page starts at the top).
//
// At 100,000 members (issue 13): every sort order has an index on Membership in the same order (migrations
// 20261201171000_teammates_table_indexes and 20261202050000_membership_sort_keys), so a page reads ~50 index entries;
// the search filters the memberships' copies of name and email (trigram indexes when the match is rare); the count
// never scans the organization (count.ts).

export type TwoFactorState = "enabled" | "not-set-up" | "exempt-sso" | "exempt-until";

export interface TeammateTableRow {
  membershipId: string;
  userId: string;
  name: string;
  email: string;
  role: Role;
  type: MembershipType;
  signInMethod: SignInMethod;
  twoFactor: TwoFactorState;
  /** "App", "SMS" or "App + SMS" when enabled, else null. */
  twoFactorMethod: string | null;
  exemptUntil: Date | null;
  /** Unused / total recovery codes of the current set (0/0 without 2FA). */
  recoveryCodesLeft: number;
  recoveryCodesTotal: number;
  lastTwoFactorUseAt: Date | null;
  lastSignInAt: Date | null;
  joinedAt: Date;
  /** Issue 11: unexpired remembered devices (the optional "Remembered devices" column). */
  rememberedDevices: number;
}

export interface TeammatesTablePage {
  rows: TeammateTableRow[];
  /** Members matching the search and filters: exact, or an estimate when `totalExact` is false. */
  total: number;
  /** False when `total` is an estimate from a sample (lib/services/teammates/count.ts): the page says "about". */
  totalExact: boolean;
  /** Membership ids for the `after` / `before` links; null when there is no such page. */
  nextCursor: string | null;
  prevCursor: string | null;
  /** The optional columns this administrator chose to show. */
  columns: UsersTableColumn[];
  /** The organization's 2FA grace deadline while one runs, else null. */
  graceDeadline: Date | null;
}

export const TEAMMATES_TABLE_PAGE_SIZE = 50;

// Whitelisted sort expressions (never user text in SQL). Every key ends with the membership id, and each list is
// exactly the column list of an index on Membership after (organizationId, status): (role, createdAt, id),
// (createdAt, id), and the expression indexes on the member's copied name, email and last sign-in
// (lower("userName"), id), (lower("userEmail"), id), (COALESCE("userLastSignInAt", '-infinity'), id) — copies kept by
// triggers (migration 20261202050000_membership_sort_keys). Change one, change the other
// (lib/services/teammates/table-plan.int.test.ts checks the plans).
const SORT_KEYS: Record<TeammatesQuery["sort"], readonly string[]> = {
  role: ['m."role"', 'm."createdAt"', 'm."id"'],
  name: ['lower(m."userName")', 'm."id"'],
  email: ['lower(m."userEmail")', 'm."id"'],
  "last-sign-in": [`COALESCE(m."userLastSignInAt", '-infinity'::timestamp)`, 'm."id"'],
  joined: ['m."createdAt"', 'm."id"'],
};

interface RawRow {
  membershipId: string;
  userId: string;
  name: string;
  email: string;
  role: Role;
  type: MembershipType;
  signInMethod: SignInMethod;
  exemptUntil: Date | null;
  ssoExempt: boolean;
  totp: boolean;
  sms: boolean;
  lastTwoFactorUseAt: Date | null;
  lastSignInAt: Date | null;
  joinedAt: Date;
  left: number;
  total: number;
  devices: number;
}

function toRow(r: RawRow, now: Date): TeammateTableRow {
  const exemptUntil = r.exemptUntil && r.exemptUntil > now ? r.exemptUntil : null;
  const factors = { app: r.totp, sms: r.sms };
  const enrolled = hasAnyFactor(factors);
  const twoFactor: TwoFactorState = enrolled
    ? "enabled"
    : r.signInMethod === "SSO" && r.ssoExempt
      ? "exempt-sso"
      : exemptUntil
        ? "exempt-until"
        : "not-set-up";
  return {
    membershipId: r.membershipId,
    userId: r.userId,
    name: r.name,
    email: r.email,
    role: r.role,
    type: r.type,
    signInMethod: r.signInMethod,
    twoFactor,
    twoFactorMethod: factorMethodLabel(factors),
    exemptUntil,
    recoveryCodesLeft: enrolled ? Number(r.left) : 0,
    recoveryCodesTotal: enrolled ? Number(r.total) : 0,
    lastTwoFactorUseAt: r.lastTwoFactorUseAt,
    lastSignInAt: r.lastSignInAt,
    joinedAt: r.joinedAt,
    rememberedDevices: Number(r.devices),
  };
}

export interface PageRequest {
  /** Rows after (or, with `backwards`, before) this membership id in the sort order. */
  cursor: string | null;
  backwards: boolean;
  limit: number;
}

/** One page of the filtered view in display order, plus whether more rows lie beyond it (no authorization here). */
export async function tablePage(
  tx: Tx,
  organizationId: string,
  query: TeammatesQuery,
  page: PageRequest,
  now: Date,
): Promise<{ rows: TeammateTableRow[]; more: boolean; backwards: boolean; cursor: string | null }> {
  // A cursor that is not a membership of this organization (stale, tampered) starts from the top.
  const cursor = page.cursor
    ? ((await tx.membership.findFirst({ where: { id: page.cursor, organizationId }, select: { id: true } }))?.id ??
      null)
    : null;
  const backwards = page.backwards && cursor !== null;
  const columns = SORT_KEYS[query.sort];
  const desc = (query.dir === "desc") !== backwards;
  const key = Prisma.raw(columns.join(", "));
  const orderBy = Prisma.raw(columns.map((c) => `${c} ${desc ? "DESC" : "ASC"}`).join(", "));
  const keyset = cursor
    ? Prisma.sql`AND (${key}) ${Prisma.raw(desc ? "<" : ">")} (SELECT ${key} FROM "Membership" m WHERE m."id" = ${cursor})`
    : Prisma.empty;
  // The page is cut first (ORDER BY … LIMIT on the filter), then only its rows get the security columns: the factor
  // and a recovery-code count per row, indexed look-ups, never a join over the whole filter. Sort keys ride along
  // as s0…sN so the outer query can restore the order.
  const sortKeys = Prisma.raw(columns.map((c, i) => `${c} AS s${i}`).join(", "));
  const outerOrder = Prisma.raw(columns.map((_, i) => `p.s${i} ${desc ? "DESC" : "ASC"}`).join(", "));
  // The walk reads memberships alone (their copied name, email and last sign-in) unless a filter needs the user's
  // sign-in method; the user row is read for the page's rows only.
  const walked = filterNeedsUser(query)
    ? Prisma.sql`"Membership" m JOIN "User" u ON u."id" = m."userId"`
    : Prisma.sql`"Membership" m`;
  const raw = await tx.$queryRaw<RawRow[]>`
    WITH p AS (
      SELECT m."id" AS "membershipId", m."userId", m."role", m."type", m."twoFactorExemptUntil" AS "exemptUntil",
             m."createdAt" AS "joinedAt", ${sortKeys}
      FROM ${walked}
      WHERE ${whereClause(organizationId, query, now)} ${keyset}
      ORDER BY ${orderBy}
      LIMIT ${page.limit + 1}
    )
    SELECT p."membershipId", p."userId", u."name", u."email", p."role", p."type", u."signInMethod", p."exemptUntil",
           (SELECT o."exemptSso" FROM "Organization" o WHERE o."id" = ${organizationId}) AS "ssoExempt",
           u."lastSignInAt", p."joinedAt", (t."userId" IS NOT NULL) AS "totp", (pf."userId" IS NOT NULL) AS "sms",
           GREATEST(t."lastUsedAt", pf."lastUsedAt") AS "lastTwoFactorUseAt",
           COALESCE(rc."left", 0)::int AS "left", COALESCE(rc."total", 0)::int AS "total",
           (SELECT count(*) FROM "RememberedDevice" d
            WHERE d."userId" = p."userId" AND d."expiresAt" > ${now})::int AS "devices"
    FROM p
    -- One primary-key look-up per page row (LATERAL … LIMIT 1: a misestimated page never turns into hashing every
    -- user or authenticator of the database).
    CROSS JOIN LATERAL (SELECT * FROM "User" u WHERE u."id" = p."userId" LIMIT 1) u
    LEFT JOIN LATERAL (SELECT * FROM "TotpFactor" t WHERE t."userId" = p."userId" LIMIT 1) t ON true
    LEFT JOIN LATERAL (SELECT * FROM "PhoneFactor" pf WHERE pf."userId" = p."userId" LIMIT 1) pf ON true
    LEFT JOIN LATERAL (
      SELECT count(*) FILTER (WHERE c."usedAt" IS NULL) AS "left", count(*) AS "total"
      FROM "RecoveryCode" c WHERE c."userId" = p."userId"
    ) rc ON true
    ORDER BY ${outerOrder}`;
  const more = raw.length > page.limit;
  const rows = raw.slice(0, page.limit).map((r) => toRow(r, now));
  if (backwards) rows.reverse();
  return { rows, more, backwards, cursor };
}

export interface TeammatesTableInput {
  query: TeammatesQuery;
  /** Rows per page (1–200, default TEAMMATES_TABLE_PAGE_SIZE). */
  limit?: number;
}

/** One page of the administrators' Users table with its total and the administrator's column choice. */
export async function listTeammatesTable(
  { actor, input }: { actor: Actor; input: TeammatesTableInput; context?: RequestContext },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<TeammatesTablePage> {
  const { query } = input;
  const limit = Math.min(Math.max(input.limit ?? TEAMMATES_TABLE_PAGE_SIZE, 1), 200);
  const request = { cursor: query.after ?? query.before, backwards: !query.after && Boolean(query.before), limit };
  // Read once (a Prisma query runs when awaited), shared by the count and the grace deadline; a filtered count reads
  // its sample meanwhile.
  const orgRead = Promise.resolve(
    tx.organization.findUniqueOrThrow({
      where: { id: organizationOf(actor) },
      select: { requireTwoFactor: true, enforcementMode: true, graceDeadline: true, activeMemberCount: true },
    }),
  );
  // The authorization check runs side by side with the reads (one round trip less per page): they only read, and
  // nothing is returned unless the actor is an administrator of this organization (Promise.all rejects with FORBIDDEN).
  const [me, { rows, more, backwards, cursor }, org, count] = await Promise.all([
    actorMembership(tx, actor, ADMINS),
    tablePage(tx, organizationOf(actor), query, request, now),
    orgRead,
    tableCount(
      tx,
      organizationOf(actor),
      query,
      now,
      orgRead.then((o) => o.activeMemberCount),
    ),
  ]);
  const first = rows[0]?.membershipId ?? null;
  const last = rows.at(-1)?.membershipId ?? null;
  return {
    rows,
    total: count.total,
    totalExact: count.exact,
    nextCursor: (backwards ? Boolean(cursor) : more) ? last : null,
    prevCursor: (backwards ? more : Boolean(cursor)) ? first : null,
    columns: columnsFrom(me.usersTableColumns),
    // Members without 2FA show "deadline in N days" while the organization's grace period runs (issue 4).
    graceDeadline: org.requireTwoFactor && org.enforcementMode === "GRACE" ? org.graceDeadline : null,
  };
}
