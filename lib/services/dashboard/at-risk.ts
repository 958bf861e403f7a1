import type { Role } from "../../db";
import { Prisma, type Tx } from "../../db";
import { hasFactorSql, userWithoutFactor } from "../two-factor/factors";
import { DAY_MS } from "./day";

// At risk (issue 15 §3): four short lists, each read through an index and cut at LIST_LIMIT, never a pass over the
// organization. Recovery codes only ever decrease by use, and every use is audited with the number left, so "few codes
// left" starts from those audit rows and is then checked against the codes themselves.

export const LIST_LIMIT = 5;
export const DEADLINE_WINDOW_DAYS = 3;
export const FEW_CODES = 3;
export const EXEMPTION_WINDOW_DAYS = 7;
export const RECOVERY_SIGN_IN_DAYS = 30;

export interface AtRiskPerson {
  membershipId: string;
  userId: string;
  name: string;
  email: string;
  role: Role;
  hasTwoFactor: boolean;
  exemptUntil: Date | null;
  /** What puts them on the list, in words ("2 recovery codes left"). */
  detail: string;
}

export interface AtRiskList {
  people: AtRiskPerson[];
  /** Everyone on the list (the people shown are the first LIST_LIMIT). */
  total: number;
}

export interface AtRisk {
  /** Members without 2FA while the requirement applies and its deadline is within 3 days or passed (null: none due). */
  deadline: (AtRiskList & { deadline: Date | null }) | null;
  fewRecoveryCodes: AtRiskList;
  exemptionsEnding: AtRiskList;
  recoverySignIns: AtRiskList;
}

interface PolicyForRisk {
  id: string;
  requireTwoFactor: boolean;
  enforcementMode: string | null;
  graceDeadline: Date | null;
  exemptSso: boolean;
}

interface PersonRow {
  membershipId: string;
  userId: string;
  name: string;
  email: string;
  role: Role;
  totp: boolean;
  exemptUntil: Date | null;
}

const day = (d: Date) =>
  d.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

async function people(tx: Tx, organizationId: string, userIds: string[]): Promise<Map<string, PersonRow>> {
  if (userIds.length === 0) return new Map();
  const rows = await tx.$queryRaw<PersonRow[]>`
    SELECT m."id" AS "membershipId", m."userId", u."name", u."email", m."role",
           ${hasFactorSql(Prisma.sql`m."userId"`)} AS "totp", m."twoFactorExemptUntil" AS "exemptUntil"
    FROM "Membership" m JOIN "User" u ON u."id" = m."userId"
    WHERE m."organizationId" = ${organizationId} AND m."status" = 'ACTIVE' AND m."userId" IN (${Prisma.join(userIds)})`;
  return new Map(rows.map((r) => [r.userId, r]));
}

const person = (r: PersonRow, detail: string, now: Date): AtRiskPerson => ({
  membershipId: r.membershipId,
  userId: r.userId,
  name: r.name,
  email: r.email,
  role: r.role,
  hasTwoFactor: r.totp,
  exemptUntil: r.exemptUntil && r.exemptUntil > now ? r.exemptUntil : null,
  detail,
});

/** `notSetUp`: the organization's count of members without 2FA and without exemption (figures.ts). */
export async function atRiskLists(tx: Tx, org: PolicyForRisk, notSetUp: number, now: Date): Promise<AtRisk> {
  const [deadline, fewRecoveryCodes, exemptionsEnding, recoverySignIns] = await Promise.all([
    deadlineList(tx, org, notSetUp, now),
    fewCodesList(tx, org.id, now),
    exemptionsList(tx, org.id, now),
    recoverySignInList(tx, org.id, now),
  ]);
  return { deadline, fewRecoveryCodes, exemptionsEnding, recoverySignIns };
}

async function deadlineList(tx: Tx, org: PolicyForRisk, notSetUp: number, now: Date) {
  if (!org.requireTwoFactor) return null;
  // "Now" and "at next sign-in" apply at once: their deadline has passed. A grace period counts once 3 days are left.
  const deadline = org.enforcementMode === "GRACE" ? org.graceDeadline : null;
  if (
    org.enforcementMode === "GRACE" &&
    (!deadline || deadline.getTime() - now.getTime() > DEADLINE_WINDOW_DAYS * DAY_MS)
  )
    return null;
  const sso = org.exemptSso ? Prisma.sql`AND u."signInMethod" <> 'SSO'` : Prisma.empty;
  const rows = await tx.$queryRaw<PersonRow[]>`
    SELECT m."id" AS "membershipId", m."userId", u."name", u."email", m."role", false AS "totp",
           m."twoFactorExemptUntil" AS "exemptUntil"
    FROM "Membership" m JOIN "User" u ON u."id" = m."userId"
    WHERE m."organizationId" = ${org.id} AND m."status" = 'ACTIVE'
      AND NOT ${hasFactorSql(Prisma.sql`m."userId"`)}
      AND (m."twoFactorExemptUntil" IS NULL OR m."twoFactorExemptUntil" <= ${now}::timestamp) ${sso}
    LIMIT ${LIST_LIMIT}`;
  // No ORDER BY: any five of them, found by walking the organization's memberships until five match (sorting them
  // all would read every member on each request); the total comes from the adoption count.
  const detail = deadline
    ? deadline > now
      ? `No 2FA yet: the deadline is ${day(deadline)}`
      : `No 2FA: the deadline passed on ${day(deadline)}`
    : "No 2FA: the organization requires it now";
  return { people: rows.map((r) => person(r, detail, now)), total: notSetUp, deadline };
}

async function fewCodesList(tx: Tx, organizationId: string, now: Date): Promise<AtRiskList> {
  // Everyone whose code use left them FEW_CODES or fewer (audited per use), then their codes counted today: a new set
  // issued since puts them back above the line.
  const candidates = await tx.$queryRaw<{ userId: string }[]>`
    SELECT DISTINCT a."actorId" AS "userId" FROM "AuditEvent" a
    WHERE a."organizationId" = ${organizationId} AND a."type" = '2fa.recovery_code_used' AND a."actorId" IS NOT NULL
      AND (CASE WHEN jsonb_typeof(a."metadata"->'remaining') = 'number'
                THEN (a."metadata"->>'remaining')::numeric <= ${FEW_CODES} ELSE false END)`;
  if (candidates.length === 0) return { people: [], total: 0 };
  const left = await tx.$queryRaw<{ userId: string; left: number }[]>`
    SELECT t."id" AS "userId",
           (SELECT count(*) FROM "RecoveryCode" c WHERE c."userId" = t."id" AND c."usedAt" IS NULL)::int AS "left"
    FROM "User" t WHERE t."id" IN (${Prisma.join(candidates.map((c) => c.userId))})
      AND ${hasFactorSql(Prisma.sql`t."id"`)}`;
  const low = left.filter((l) => Number(l.left) <= FEW_CODES).sort((a, b) => Number(a.left) - Number(b.left));
  const found = await people(
    tx,
    organizationId,
    low.map((l) => l.userId),
  );
  const all = low.filter((l) => found.has(l.userId));
  return {
    people: all.slice(0, LIST_LIMIT).map((l) => {
      const n = Number(l.left);
      return person(found.get(l.userId) as PersonRow, `${n} recovery code${n === 1 ? "" : "s"} left`, now);
    }),
    total: all.length,
  };
}

async function exemptionsList(tx: Tx, organizationId: string, now: Date): Promise<AtRiskList> {
  const where = {
    organizationId,
    status: "ACTIVE" as const,
    twoFactorExemptUntil: { gt: now, lte: new Date(now.getTime() + EXEMPTION_WINDOW_DAYS * DAY_MS) },
    user: userWithoutFactor,
  };
  const [rows, total] = await Promise.all([
    tx.membership.findMany({
      where,
      orderBy: [{ twoFactorExemptUntil: "asc" }, { id: "asc" }],
      take: LIST_LIMIT,
      select: {
        id: true,
        userId: true,
        role: true,
        twoFactorExemptUntil: true,
        user: { select: { name: true, email: true } },
      },
    }),
    tx.membership.count({ where }),
  ]);
  return {
    people: rows.map((r) =>
      person(
        {
          membershipId: r.id,
          userId: r.userId,
          name: r.user.name,
          email: r.user.email,
          role: r.role,
          totp: false,
          exemptUntil: r.twoFactorExemptUntil,
        },
        `Exemption ends ${day(r.twoFactorExemptUntil as Date)}`,
        now,
      ),
    ),
    total,
  };
}

async function recoverySignInList(tx: Tx, organizationId: string, now: Date): Promise<AtRiskList> {
  const since = new Date(now.getTime() - RECOVERY_SIGN_IN_DAYS * DAY_MS);
  const events = await tx.$queryRaw<{ userId: string; at: Date }[]>`
    SELECT a."actorId" AS "userId", max(a."createdAt") AS "at" FROM "AuditEvent" a
    WHERE a."type" = '2fa.recovery_code_used' AND a."createdAt" >= ${since}::timestamp AND a."createdAt" <= ${now}::timestamp
      AND a."organizationId" = ${organizationId} AND a."actorId" IS NOT NULL AND a."metadata"->>'purpose' = 'sign-in'
    GROUP BY a."actorId" ORDER BY max(a."createdAt") DESC, a."actorId"`;
  const found = await people(
    tx,
    organizationId,
    events.map((e) => e.userId),
  );
  const all = events.filter((e) => found.has(e.userId));
  return {
    people: all
      .slice(0, LIST_LIMIT)
      .map((e) =>
        person(found.get(e.userId) as PersonRow, `Signed in with a recovery code on ${day(new Date(e.at))}`, now),
      ),
    total: all.length,
  };
}
