import type { MembershipType, Role } from "../../db";
import { Prisma, type Tx } from "../../db";
import { startOfDay } from "./day";

// Adoption now (issue 15 §1): members by role and type, each split into the four states the Users table filters on
// (lib/services/teammates-table.ts, same rules): enrolled (an authenticator app or a phone for SMS codes), exempt through SSO (while the
// organization exempts SSO users), exempt until a date (an administrator's exemption in force), not set up.
// Counting needs one pass over the organization's memberships, so the dashboard reads the figures from today's
// AdoptionSnapshot row and recomputes them at most once per FRESH_MS for a large organization (small ones are counted
// on every read, which costs less than the bookkeeping). The policy clock rewrites the row every minute as well.

export interface StateCounts {
  members: number;
  enrolled: number;
  exemptSso: number;
  exemptUntil: number;
  notSetUp: number;
}

export interface AdoptionFigures extends StateCounts {
  byRole: Record<Role, StateCounts>;
  byType: Record<MembershipType, StateCounts>;
  /** Members by their methods, in the Users table's words: app only, SMS only, both. */
  byMethod: { TOTP: number; SMS: number; BOTH: number };
  computedAt: Date;
}

/** Organizations up to this size are counted on every read; above it, today's snapshot is reused for FRESH_MS. */
export const LIVE_COUNT_LIMIT = 5_000;
export const FRESH_MS = 30_000;

const zero = (): StateCounts => ({ members: 0, enrolled: 0, exemptSso: 0, exemptUntil: 0, notSetUp: 0 });
const KEYS = ["members", "enrolled", "exemptSso", "exemptUntil", "notSetUp"] as const;
const add = (a: StateCounts, b: StateCounts) => {
  for (const k of KEYS) a[k] += b[k];
};

interface GroupRow {
  organizationId: string;
  role: Role;
  type: MembershipType;
  members: number;
  enrolled: number;
  exemptSso: number;
  exemptUntil: number;
  app: number;
  sms: number;
  both: number;
}

function assemble(rows: GroupRow[], computedAt: Date): AdoptionFigures {
  const f: AdoptionFigures = {
    ...zero(),
    byRole: { OWNER: zero(), ADMIN: zero(), MEMBER: zero() },
    byType: { EMPLOYEE: zero(), CLIENT: zero(), CONTRACTOR: zero() },
    byMethod: { TOTP: 0, SMS: 0, BOTH: 0 },
    computedAt,
  };
  for (const r of rows) {
    const c: StateCounts = {
      members: Number(r.members),
      enrolled: Number(r.enrolled),
      exemptSso: Number(r.exemptSso),
      exemptUntil: Number(r.exemptUntil),
      notSetUp: Number(r.members) - Number(r.enrolled) - Number(r.exemptSso) - Number(r.exemptUntil),
    };
    add(f, c);
    add(f.byRole[r.role], c);
    add(f.byType[r.type], c);
    f.byMethod.TOTP += Number(r.app);
    f.byMethod.SMS += Number(r.sms);
    f.byMethod.BOTH += Number(r.both);
  }
  return f;
}

/** Counts every active membership of the given organizations (all of them when `organizationIds` is null). */
export async function countAdoption(
  tx: Tx,
  organizationIds: string[] | null,
  now: Date,
): Promise<Map<string, AdoptionFigures>> {
  const scope = organizationIds
    ? Prisma.sql`m."organizationId" IN (${Prisma.join(organizationIds)})`
    : Prisma.sql`TRUE`;
  const rows = await tx.$queryRaw<GroupRow[]>`
    SELECT m."organizationId", m."role", m."type",
      count(*)::int AS "members",
      count(*) FILTER (WHERE t."userId" IS NOT NULL OR pf."userId" IS NOT NULL)::int AS "enrolled",
      count(*) FILTER (WHERE t."userId" IS NULL AND pf."userId" IS NULL AND u."signInMethod" = 'SSO'
                         AND o."exemptSso")::int AS "exemptSso",
      count(*) FILTER (WHERE t."userId" IS NULL AND pf."userId" IS NULL
                         AND NOT (u."signInMethod" = 'SSO' AND o."exemptSso")
                         AND m."twoFactorExemptUntil" > ${now}::timestamp)::int AS "exemptUntil",
      count(*) FILTER (WHERE t."userId" IS NOT NULL AND pf."userId" IS NULL)::int AS "app",
      count(*) FILTER (WHERE pf."userId" IS NOT NULL AND t."userId" IS NULL)::int AS "sms",
      count(*) FILTER (WHERE t."userId" IS NOT NULL AND pf."userId" IS NOT NULL)::int AS "both"
    FROM "Membership" m
    JOIN "User" u ON u."id" = m."userId"
    JOIN "Organization" o ON o."id" = m."organizationId"
    LEFT JOIN "TotpFactor" t ON t."userId" = m."userId"
    LEFT JOIN "PhoneFactor" pf ON pf."userId" = m."userId"
    WHERE ${scope} AND m."status" = 'ACTIVE'
    GROUP BY m."organizationId", m."role", m."type"`;
  const byOrg = new Map<string, GroupRow[]>();
  for (const r of rows) byOrg.set(r.organizationId, [...(byOrg.get(r.organizationId) ?? []), r]);
  const out = new Map<string, AdoptionFigures>();
  for (const id of organizationIds ?? byOrg.keys()) out.set(id, assemble(byOrg.get(id) ?? [], now));
  return out;
}

function breakdownJson(f: AdoptionFigures): Prisma.InputJsonObject {
  return { byRole: { ...f.byRole }, byType: { ...f.byType }, byMethod: { ...f.byMethod } } as never;
}

/** Writes (or rewrites) today's live row for one organization. */
export async function writeLiveSnapshot(tx: Tx, organizationId: string, f: AdoptionFigures): Promise<void> {
  const day = startOfDay(f.computedAt);
  const data = {
    members: f.members,
    enrolled: f.enrolled,
    exemptSso: f.exemptSso,
    exemptUntil: f.exemptUntil,
    breakdown: breakdownJson(f),
    source: "live",
    computedAt: f.computedAt,
  };
  await tx.adoptionSnapshot.upsert({
    where: { organizationId_day: { organizationId, day } },
    create: { organizationId, day, ...data },
    update: data,
  });
}

function fromSnapshot(row: {
  members: number;
  enrolled: number;
  exemptSso: number | null;
  exemptUntil: number | null;
  breakdown: unknown;
  computedAt: Date;
}): AdoptionFigures | null {
  const b = row.breakdown as Pick<AdoptionFigures, "byRole" | "byType" | "byMethod"> | null;
  if (!b?.byRole || !b.byType || row.exemptSso === null || row.exemptUntil === null) return null;
  return {
    members: row.members,
    enrolled: row.enrolled,
    exemptSso: row.exemptSso,
    exemptUntil: row.exemptUntil,
    notSetUp: row.members - row.enrolled - row.exemptSso - row.exemptUntil,
    byRole: b.byRole,
    byType: b.byType,
    // Snapshots from before SMS existed hold only TOTP (everyone enrolled used the app).
    byMethod: { TOTP: b.byMethod?.TOTP ?? row.enrolled, SMS: b.byMethod?.SMS ?? 0, BOTH: b.byMethod?.BOTH ?? 0 },
    computedAt: row.computedAt,
  };
}

/**
 * The adoption figures to show now. Small organizations: counted now (exact). Large ones: today's snapshot when it is
 * younger than FRESH_MS; otherwise ONE request claims the refresh with a conditional update (the others keep showing
 * the previous figures meanwhile), so a burst of requests never turns into a burst of full counts.
 */
/** Today's snapshot row of the organization (or null): what currentAdoption starts from. */
export function todaySnapshot(tx: Tx, organizationId: string, now: Date) {
  return tx.adoptionSnapshot.findUnique({ where: { organizationId_day: { organizationId, day: startOfDay(now) } } });
}

export async function currentAdoption(
  tx: Tx,
  organizationId: string,
  now: Date,
  /** Today's row when the caller already read it (todaySnapshot), to save a round trip. */
  read?: Awaited<ReturnType<typeof todaySnapshot>>,
): Promise<AdoptionFigures> {
  const day = startOfDay(now);
  const row = read === undefined ? await todaySnapshot(tx, organizationId, now) : read;
  const cached = row?.source === "live" ? fromSnapshot(row) : null;
  if (cached && cached.members > LIVE_COUNT_LIMIT) {
    if (now.getTime() - cached.computedAt.getTime() < FRESH_MS) return cached;
    const { count } = await tx.adoptionSnapshot.updateMany({
      where: { organizationId, day, computedAt: cached.computedAt },
      data: { computedAt: now },
    });
    if (count !== 1) return cached; // another request is refreshing it
  }
  const fresh = (await countAdoption(tx, [organizationId], now)).get(organizationId) as AdoptionFigures;
  // Large organizations store what they counted; small ones write only when today's row is missing (the clock keeps
  // it current every minute), so their reads stay reads.
  if (!cached || fresh.members > LIVE_COUNT_LIMIT) await writeLiveSnapshot(tx, organizationId, fresh);
  return fresh;
}
