import { db, isClient, type Tx } from "../../db";
import { type ClockFailure, type ClockScope, clockFailure, inClockScope } from "../org-policy/clock-scope";
import { addDays, DAY_MS, dayKey, daysBetween, startOfDay } from "./day";
import { countAdoption, writeLiveSnapshot } from "./figures";

// Adoption over time (issue 15 §2), exact per day. Today's row is the live count (figures.ts), rewritten by the policy
// clock every minute. Every earlier day is finalised ONCE, at the clock's first run of a new day, by replaying the
// audit log backwards from the live state: start from who is a member and which second factors each person has now (an
// authenticator app, a phone for SMS codes: enrolled = either, issue 12), and undo each event newer than the end of the
// day (an app or phone added undone = not there before it; removed or reset undone = there before it; a join undone =
// not a member before it; a removal undone = a member before it). The same replay backfills the days before this
// feature existed. A past day's value is therefore what the audit log says it was at 24:00 UTC, not whatever the clock
// last saw before midnight.

/** How far back a history is kept or backfilled. */
export const HISTORY_MAX_DAYS = 400;

/** The events that change who is a member or who is enrolled, and whom each concerns. */
const JOINS = ["organization.created", "invitation.accepted", "sso.user_provisioned"] as const;
const LEAVES = ["member.removed"] as const;
// The app: "2fa.enabled" (metadata.method "sms" is the phone that turned 2FA on: its "2fa.phone_added" counts instead),
// "2fa.disabled" (likewise "sms": "2fa.phone_removed"), "2fa.app_removed" (the app went, a phone stayed). The phone:
// added, removed (a changed number stays a phone). An admin reset removes both (metadata.removed says which; older rows
// without it removed the app).
const FACTOR_EVENTS = [
  "2fa.enabled",
  "2fa.disabled",
  "2fa.app_removed",
  "2fa.phone_added",
  "2fa.phone_removed",
  "2fa.admin_reset",
] as const;
const REPLAYED = [...JOINS, ...LEAVES, ...FACTOR_EVENTS];

export interface DayValue {
  day: Date;
  members: number;
  enrolled: number;
}

interface EventRow {
  type: string;
  actorId: string | null;
  targetId: string | null;
  createdAt: Date;
  metadata: unknown;
}

/** Whom an event concerns: the person who joined/enrolled (the actor) or the one reset/removed (the target). */
const subjectOf = (e: EventRow) =>
  e.type === "2fa.admin_reset" || e.type === "member.removed" || e.type === "sso.user_provisioned"
    ? e.targetId
    : e.actorId;

type Factors = { app: boolean; phone: boolean };

const metaOf = (e: EventRow): Record<string, unknown> =>
  e.metadata && typeof e.metadata === "object" && !Array.isArray(e.metadata)
    ? (e.metadata as Record<string, unknown>)
    : {};

/** The person's factors just BEFORE `e`, given those just after it. */
function factorsBefore(e: EventRow, after: Factors): Factors {
  const method = metaOf(e).method;
  switch (e.type) {
    case "2fa.enabled":
      return method === "sms" ? after : { ...after, app: false };
    case "2fa.disabled":
      return method === "sms" ? after : { ...after, app: true };
    case "2fa.app_removed":
      return { ...after, app: true };
    case "2fa.phone_added":
      return { ...after, phone: false };
    case "2fa.phone_removed":
      return { ...after, phone: true };
    case "2fa.admin_reset": {
      const removed = metaOf(e).removed;
      if (!Array.isArray(removed)) return { ...after, app: true };
      return { app: after.app || removed.includes("app"), phone: after.phone || removed.includes("sms") };
    }
    default:
      return after;
  }
}

const isEnrolled = (f: Factors | undefined) => Boolean(f && (f.app || f.phone));

/**
 * Members and enrolled members of one organization at the end of each day from `from` to the day before `now`
 * (oldest first), replayed backwards from the state as it is read (every later event is undone, also one committed
 * after `now`).
 */
export async function replayHistory(tx: Tx, organizationId: string, from: Date, now: Date): Promise<DayValue[]> {
  const first = startOfDay(from);
  const today = startOfDay(now);
  if (first >= today) return [];
  // The state now: every membership ever held here (removed ones too) and which second factors that user has.
  const people = await tx.$queryRaw<{ userId: string; active: boolean; totp: boolean; phone: boolean }[]>`
    SELECT m."userId", (m."status" = 'ACTIVE') AS "active", (t."userId" IS NOT NULL) AS "totp",
      (pf."userId" IS NOT NULL) AS "phone"
    FROM "Membership" m
    LEFT JOIN "TotpFactor" t ON t."userId" = m."userId"
    LEFT JOIN "PhoneFactor" pf ON pf."userId" = m."userId"
    WHERE m."organizationId" = ${organizationId}`;
  const members = new Set(people.filter((p) => p.active).map((p) => p.userId));
  const factors = new Map<string, Factors>(people.map((p) => [p.userId, { app: p.totp, phone: p.phone }]));
  let memberCount = members.size;
  let enrolledCount = people.filter((p) => p.active && (p.totp || p.phone)).length;

  const events = await tx.auditEvent.findMany({
    where: { organizationId, type: { in: [...REPLAYED] }, createdAt: { gte: addDays(first, 1) } },
    select: { type: true, actorId: true, targetId: true, createdAt: true, metadata: true },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  const undo = (e: EventRow) => {
    const u = subjectOf(e);
    if (!u) return;
    if ((JOINS as readonly string[]).includes(e.type) && members.delete(u)) {
      memberCount--;
      if (isEnrolled(factors.get(u))) enrolledCount--;
    } else if ((LEAVES as readonly string[]).includes(e.type) && !members.has(u)) {
      members.add(u);
      memberCount++;
      if (isEnrolled(factors.get(u))) enrolledCount++;
    } else if ((FACTOR_EVENTS as readonly string[]).includes(e.type)) {
      const after = factors.get(u) ?? { app: false, phone: false };
      const before = factorsBefore(e, after);
      factors.set(u, before);
      if (members.has(u)) enrolledCount += Number(isEnrolled(before)) - Number(isEnrolled(after));
    }
  };

  const out: DayValue[] = [];
  let i = 0;
  // Walk the days backwards: before reading day D, undo every event at or after the end of D (midnight of D + 1).
  for (let day = addDays(today, -1); day >= first; day = addDays(day, -1)) {
    const end = addDays(day, 1);
    while (i < events.length && (events[i] as EventRow).createdAt >= end) undo(events[i++] as EventRow);
    out.push({ day, members: memberCount, enrolled: enrolledCount });
  }
  return out.reverse();
}

/**
 * Finalises the past days of one organization's history: every day since it was created (at most HISTORY_MAX_DAYS)
 * that has no row yet, or only a provisional "live" one, gets its replayed value. Rows seeded for the demo are kept.
 * Idempotent: a second run finds nothing to write.
 */
export async function finalizeHistory(tx: Tx, organizationId: string, now: Date): Promise<number> {
  const today = startOfDay(now);
  const org = await tx.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { createdAt: true } });
  const from = new Date(Math.max(startOfDay(org.createdAt).getTime(), addDays(today, -HISTORY_MAX_DAYS).getTime()));
  if (from >= today) return 0;
  const existing = await tx.adoptionSnapshot.findMany({
    where: { organizationId, day: { gte: from, lt: today } },
    select: { day: true, source: true },
  });
  const kept = new Set(existing.filter((r) => r.source !== "live").map((r) => dayKey(r.day)));
  const missing = daysBetween(from, addDays(today, -1)).filter((d) => !kept.has(dayKey(d)));
  if (missing.length === 0) return 0;
  const values = await replayHistory(tx, organizationId, missing[0] as Date, now);
  const wanted = new Set(missing.map(dayKey));
  const rows = values.filter((v) => wanted.has(dayKey(v.day)));
  await tx.adoptionSnapshot.deleteMany({
    where: { organizationId, day: { in: rows.map((r) => r.day) }, source: "live" },
  });
  await tx.adoptionSnapshot.createMany({
    data: rows.map((r) => ({
      organizationId,
      day: r.day,
      members: r.members,
      enrolled: r.enrolled,
      source: "replay",
      computedAt: now,
    })),
    skipDuplicates: true,
  });
  return rows.length;
}

export interface SnapshotReport {
  organizations: number;
  daysFinalized: number;
  /** Organizations whose rows could not be written (outside a caller's transaction only); the others were. */
  failures: ClockFailure[];
}

/**
 * The policy clock's step (every minute): rewrites today's live row of every organization (or one: `scope`) from one
 * grouped count, and at the first run of a day finalises the days before it. Safe to run concurrently: rows are
 * upserted, and the finalising of a day is keyed by (organization, day).
 */
export async function writeAdoptionSnapshots(now: Date, scope: ClockScope = {}, tx: Tx = db): Promise<SnapshotReport> {
  const today = startOfDay(now);
  const orgs = await tx.organization.findMany({
    where: inClockScope(scope),
    select: { id: true, adoptionSnapshots: { where: { day: today }, select: { day: true } } },
  });
  if (orgs.length === 0) return { organizations: 0, daysFinalized: 0, failures: [] };
  const figures = await countAdoption(
    tx,
    orgs.map((o) => o.id),
    now,
  );
  let daysFinalized = 0;
  const failures: ClockFailure[] = [];
  for (const org of orgs) {
    try {
      // First run of the day for this organization: finalise yesterday (and backfill any day never written).
      if (org.adoptionSnapshots.length === 0) daysFinalized += await finalizeHistory(tx, org.id, now);
      const f = figures.get(org.id);
      if (f) await writeLiveSnapshot(tx, org.id, f);
    } catch (e) {
      // Inside a caller's transaction the error has aborted it: nothing more can be written. Outside one, the
      // organizations after this one in the run still get their rows: one deleted since it was read (its snapshots
      // went with it) is skipped, any other failure is reported (and the next run writes the row).
      if (!isClient(tx)) throw e;
      if (await tx.organization.findUnique({ where: { id: org.id }, select: { id: true } }))
        failures.push(clockFailure(org.id, "snapshot", e));
    }
  }
  return { organizations: orgs.length, daysFinalized, failures };
}

/**
 * The demo organization's made-up past (prisma/seed.ts): `values` for the days before today, kept as "seed" rows that
 * the clock never overwrites. Only days before the organization existed can be seeded (the replay owns the rest).
 */
export async function recordDemoHistory(
  tx: Tx,
  organizationId: string,
  values: DayValue[],
  now: Date = new Date(),
): Promise<number> {
  const org = await tx.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { createdAt: true } });
  const rows = values.filter((v) => v.day < startOfDay(org.createdAt));
  const { count } = await tx.adoptionSnapshot.createMany({
    data: rows.map((v) => ({
      organizationId,
      day: startOfDay(v.day),
      members: v.members,
      enrolled: v.enrolled,
      source: "seed",
      computedAt: now,
    })),
    skipDuplicates: true,
  });
  return count;
}

export { DAY_MS };
