import type { Role } from "../../db";
import { Prisma, type Tx } from "../../db";
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

/** The person columns of a list, from `"Membership" m` joined with `"User" u` and the factor joins below. */
const PERSON_COLUMNS = Prisma.sql`m."id" AS "membershipId", m."userId", u."name", u."email", m."role",
  (fa."userId" IS NOT NULL OR fs."userId" IS NOT NULL) AS "totp", m."twoFactorExemptUntil" AS "exemptUntil"`;
/** The factors of the memberships aliased `alias` as `fa` / `fs`, one primary-key look-up each per row (LATERAL …
 *  LIMIT 1: never a hash of every authenticator in the database, which is what EXISTS … OR EXISTS … becomes). */
const factorJoins = (alias: string) => {
  const userId = Prisma.raw(`${alias}."userId"`);
  return Prisma.sql`LEFT JOIN LATERAL (SELECT f."userId" FROM "TotpFactor" f WHERE f."userId" = ${userId} LIMIT 1) fa ON true
  LEFT JOIN LATERAL (SELECT f."userId" FROM "PhoneFactor" f WHERE f."userId" = ${userId} LIMIT 1) fs ON true`;
};
const FACTOR_JOINS = factorJoins("m");
/** The shown people's names: the list is cut (and counted) on memberships first, then only its rows read the user. */
const SHOWN = Prisma.sql`CROSS JOIN LATERAL (SELECT * FROM "User" u WHERE u."id" = m."userId" LIMIT 1) u ${FACTOR_JOINS}`;

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
  const sso = org.exemptSso
    ? Prisma.sql`AND NOT EXISTS (SELECT 1 FROM "User" su WHERE su."id" = mm."userId" AND su."signInMethod" = 'SSO')`
    : Prisma.empty;
  // Cut on memberships first, the factors as anti-joins (the planner walks the organization's memberships and the
  // factors' primary keys side by side, and knows most rows pass, so five are found at once), then the user read for
  // the five shown rows only. Written with LEFT JOIN LATERAL … IS NULL instead, the planner expected one row in all,
  // costed a walk of every member, and compiled the statement with JIT on each request: 140–220 ms of 0.3 ms of work
  // at 100,000 members (bench/dashboard.ts).
  const rows = await tx.$queryRaw<PersonRow[]>`
    SELECT ${PERSON_COLUMNS}
    FROM (
      SELECT mm.* FROM "Membership" mm
      WHERE mm."organizationId" = ${org.id} AND mm."status" = 'ACTIVE'
        AND NOT EXISTS (SELECT 1 FROM "TotpFactor" f WHERE f."userId" = mm."userId")
        AND NOT EXISTS (SELECT 1 FROM "PhoneFactor" f WHERE f."userId" = mm."userId")
        AND (mm."twoFactorExemptUntil" IS NULL OR mm."twoFactorExemptUntil" <= ${now}::timestamp) ${sso}
      LIMIT ${LIST_LIMIT}
    ) m ${SHOWN}`;
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
  // issued since puts them back above the line. One statement: candidates from the (organization, type) index, each
  // member's unused codes counted through the RecoveryCode (userId) index, the total before the cut, and the user
  // read for the shown rows only.
  const rows = await tx.$queryRaw<(PersonRow & { left: number; total: number })[]>`
    SELECT ${PERSON_COLUMNS}, m."left", m."total"
    FROM (
      SELECT mm.*, c."left", count(*) OVER ()::int AS "total"
      FROM (
        SELECT DISTINCT a."actorId" FROM "AuditEvent" a
        WHERE a."organizationId" = ${organizationId} AND a."type" = '2fa.recovery_code_used' AND a."actorId" IS NOT NULL
          AND (CASE WHEN jsonb_typeof(a."metadata"->'remaining') = 'number'
                    THEN (a."metadata"->>'remaining')::numeric <= ${FEW_CODES} ELSE false END)
      ) candidate
      JOIN "Membership" mm ON mm."organizationId" = ${organizationId} AND mm."userId" = candidate."actorId"
        AND mm."status" = 'ACTIVE'
      ${factorJoins("mm")}
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS "left" FROM "RecoveryCode" rc WHERE rc."userId" = mm."userId" AND rc."usedAt" IS NULL
      ) c
      WHERE (fa."userId" IS NOT NULL OR fs."userId" IS NOT NULL) AND c."left" <= ${FEW_CODES}
      ORDER BY c."left", mm."userId"
      LIMIT ${LIST_LIMIT}
    ) m ${SHOWN}
    ORDER BY m."left", m."userId"`;
  return {
    people: rows.map((r) => {
      const n = Number(r.left);
      return person(r, `${n} recovery code${n === 1 ? "" : "s"} left`, now);
    }),
    total: Number(rows[0]?.total ?? 0),
  };
}

async function exemptionsList(tx: Tx, organizationId: string, now: Date): Promise<AtRiskList> {
  // Exemptions of members without 2FA ending within the window: the (organization, exemption end) index, in order.
  const until = new Date(now.getTime() + EXEMPTION_WINDOW_DAYS * DAY_MS);
  const rows = await tx.$queryRaw<(PersonRow & { total: number })[]>`
    SELECT ${PERSON_COLUMNS}, m."total"
    FROM (
      SELECT mm.*, count(*) OVER ()::int AS "total"
      FROM "Membership" mm
      ${factorJoins("mm")}
      WHERE mm."organizationId" = ${organizationId} AND mm."status" = 'ACTIVE'
        AND mm."twoFactorExemptUntil" > ${now}::timestamp AND mm."twoFactorExemptUntil" <= ${until}::timestamp
        AND fa."userId" IS NULL AND fs."userId" IS NULL
      ORDER BY mm."twoFactorExemptUntil", mm."id"
      LIMIT ${LIST_LIMIT}
    ) m ${SHOWN}
    ORDER BY m."twoFactorExemptUntil", m."id"`;
  return {
    people: rows.map((r) => person(r, `Exemption ends ${day(r.exemptUntil as Date)}`, now)),
    total: Number(rows[0]?.total ?? 0),
  };
}

async function recoverySignInList(tx: Tx, organizationId: string, now: Date): Promise<AtRiskList> {
  const since = new Date(now.getTime() - RECOVERY_SIGN_IN_DAYS * DAY_MS);
  const rows = await tx.$queryRaw<(PersonRow & { at: Date; total: number })[]>`
    SELECT ${PERSON_COLUMNS}, m."at", m."total"
    FROM (
      SELECT mm.*, e."at", count(*) OVER ()::int AS "total"
      FROM (
        SELECT a."actorId", max(a."createdAt") AS "at" FROM "AuditEvent" a
        WHERE a."organizationId" = ${organizationId} AND a."type" = '2fa.recovery_code_used'
          AND a."createdAt" >= ${since}::timestamp AND a."createdAt" <= ${now}::timestamp
          AND a."actorId" IS NOT NULL AND a."metadata"->>'purpose' = 'sign-in'
        GROUP BY a."actorId"
      ) e
      JOIN "Membership" mm ON mm."organizationId" = ${organizationId} AND mm."userId" = e."actorId"
        AND mm."status" = 'ACTIVE'
      ORDER BY e."at" DESC, e."actorId"
      LIMIT ${LIST_LIMIT}
    ) m ${SHOWN}
    ORDER BY m."at" DESC, m."userId"`;
  return {
    people: rows.map((r) => person(r, `Signed in with a recovery code on ${day(new Date(r.at))}`, now)),
    total: Number(rows[0]?.total ?? 0),
  };
}
