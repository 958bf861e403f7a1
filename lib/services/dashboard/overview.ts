import { type Actor, ADMINS } from "../../auth/actor";
import type { EnforcementMode, Plan } from "../../db";
import { db, type Tx } from "../../db";
import type { RequestContext } from "../audit/audit-log";
import { searchAuditEvents } from "../audit/audit-search";
import { actorMembership, organizationOf } from "../authz";
import { type AtRisk, atRiskLists } from "./at-risk";
import { addDays, DAY_MS, dayKey, startOfDay } from "./day";
import { type AdoptionFigures, currentAdoption, todaySnapshot } from "./figures";
import { finalizeHistory, HISTORY_MAX_DAYS } from "./history";
import { pendingUpgradeRequest, type UpgradeRequestView } from "./upgrade-request";

// The owner and administrators' dashboard (issue 15): adoption now, over time, at risk, recent events, the plan.
// Administrators only (members get memberOverview). Every figure comes from an index or today's snapshot.

export type HistoryRange = "90d" | "required";

export interface HistoryPoint {
  day: string;
  members: number;
  enrolled: number;
  /** Enrolled share in percent (one decimal), null on a day without members. */
  share: number | null;
}

export interface PolicyMarker {
  day: string;
  type: string;
  label: string;
}

export interface AdoptionHistory {
  range: HistoryRange;
  from: string;
  points: HistoryPoint[];
  markers: PolicyMarker[];
  /** During a grace period: the deadline and the share projected for it from the recent trend. */
  deadline: string | null;
  projection: { day: string; share: number }[];
}

export interface DashboardOverview {
  organization: { name: string; plan: Plan; requireTwoFactor: boolean; enforcementMode: EnforcementMode | null };
  requiredSince: Date | null;
  adoption: AdoptionFigures;
  history: AdoptionHistory;
  atRisk: AtRisk;
  recentEvents: { id: string; text: string; createdAt: Date }[];
  upgrade: UpgradeRequestView | null;
}

const MARKED_EVENTS: Record<string, string> = {
  "policy.2fa_required": "2FA required",
  "policy.2fa_not_required": "Requirement off",
  "policy.mode_changed": "Mode changed",
  "policy.grace_changed": "Grace period changed",
  "policy.grace_expired": "Deadline passed",
};
const TREND_DAYS = 14;

const shareOf = (enrolled: number, members: number) =>
  members > 0 ? Math.round((enrolled / members) * 1000) / 10 : null;

/** A straight line through the recent shares (least squares), carried from today to the deadline. */
export function projectShare(points: HistoryPoint[], today: Date, deadline: Date): { day: string; share: number }[] {
  const recent = points.slice(-TREND_DAYS).filter((p) => p.share !== null);
  if (recent.length < 2 || deadline <= today) return [];
  const xs = recent.map((p) => (Date.parse(p.day) - today.getTime()) / DAY_MS);
  const ys = recent.map((p) => p.share as number);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  const slope = sxx > 0 ? xs.reduce((a, x, i) => a + (x - mx) * ((ys[i] as number) - my), 0) / sxx : 0;
  const start = ys[ys.length - 1] as number; // the line starts at today's real value
  const out: { day: string; share: number }[] = [];
  const days = Math.ceil((startOfDay(deadline).getTime() - today.getTime()) / DAY_MS);
  for (let i = 0; i <= days; i++)
    out.push({
      day: dayKey(addDays(today, i)),
      share: Math.round(Math.min(100, Math.max(0, start + slope * i)) * 10) / 10,
    });
  return out;
}

async function adoptionHistory(
  tx: Tx,
  organizationId: string,
  org: {
    createdAt: Date;
    requireTwoFactor: boolean;
    requiredSince: Date | null;
    enforcementMode: EnforcementMode | null;
    graceDeadline: Date | null;
  },
  today: AdoptionFigures,
  range: HistoryRange,
  now: Date,
): Promise<AdoptionHistory> {
  const todayDay = startOfDay(now);
  const ninety = addDays(todayDay, -89);
  const since = org.requireTwoFactor && org.requiredSince ? startOfDay(org.requiredSince) : null;
  const from =
    range === "required" && since
      ? new Date(Math.max(since.getTime(), addDays(todayDay, -HISTORY_MAX_DAYS).getTime()))
      : ninety;
  const readRows = () =>
    tx.adoptionSnapshot.findMany({
      where: { organizationId, day: { gte: from, lt: todayDay } },
      orderBy: { day: "asc" },
      select: { day: true, members: true, enrolled: true },
    });
  // The clock finalises yesterday at the day's first run; if no clock ran yet today (a quiet server), do it here once
  // (and read the days again). Otherwise the check and the reads go side by side.
  const mayFinalize = startOfDay(org.createdAt) < todayDay;
  const [yesterday, firstRows, events] = await Promise.all([
    mayFinalize
      ? tx.adoptionSnapshot.findUnique({
          where: { organizationId_day: { organizationId, day: addDays(todayDay, -1) } },
          select: { source: true },
        })
      : null,
    readRows(),
    tx.auditEvent.findMany({
      where: { type: { in: Object.keys(MARKED_EVENTS) }, createdAt: { gte: from }, organizationId },
      orderBy: { createdAt: "asc" },
      select: { type: true, createdAt: true },
      take: 200,
    }),
  ]);
  let rows = firstRows;
  if (mayFinalize && (!yesterday || yesterday.source === "live")) {
    await finalizeHistory(tx, organizationId, now);
    rows = await readRows();
  }
  const points: HistoryPoint[] = rows.map((r) => ({
    day: dayKey(r.day),
    members: r.members,
    enrolled: r.enrolled,
    share: shareOf(r.enrolled, r.members),
  }));
  points.push({
    day: dayKey(todayDay),
    members: today.members,
    enrolled: today.enrolled,
    share: shareOf(today.enrolled, today.members),
  });
  const grace = org.requireTwoFactor && org.enforcementMode === "GRACE" && org.graceDeadline && org.graceDeadline > now;
  return {
    range: range === "required" && since ? "required" : "90d",
    from: dayKey(from),
    points,
    markers: events.map((e) => ({ day: dayKey(e.createdAt), type: e.type, label: MARKED_EVENTS[e.type] ?? e.type })),
    deadline: grace && org.graceDeadline ? dayKey(org.graceDeadline) : null,
    projection: grace && org.graceDeadline ? projectShare(points, todayDay, org.graceDeadline) : [],
  };
}

export async function dashboardOverview(
  { actor, input }: { actor: Actor; input: { range: HistoryRange }; context?: RequestContext },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<DashboardOverview> {
  // The authorization check, the policy row, today's snapshot, the recent events (checked again by the audit search)
  // and the upgrade request side by side: reads, returned only to an administrator. A stale snapshot is refreshed,
  // and yesterday finalised, only after the check (currentAdoption, adoptionHistory).
  const side = Promise.all([
    searchAuditEvents({ actor, input: { limit: 10 } }, { tx }),
    pendingUpgradeRequest(tx, organizationOf(actor)),
  ]);
  side.catch(() => {}); // awaited below; a refusal surfaces from the check first
  const [, org, today] = await Promise.all([
    actorMembership(tx, actor, ADMINS),
    tx.organization.findUniqueOrThrow({
      where: { id: organizationOf(actor) },
      select: {
        id: true,
        name: true,
        plan: true,
        createdAt: true,
        requireTwoFactor: true,
        enforcementMode: true,
        requiredSince: true,
        graceDeadline: true,
        exemptSso: true,
      },
    }),
    todaySnapshot(tx, organizationOf(actor), now),
  ]);
  const adoption = await currentAdoption(tx, org.id, now, today);
  const [history, atRisk, [events, upgrade]] = await Promise.all([
    adoptionHistory(tx, org.id, org, adoption, input.range, now),
    atRiskLists(tx, org, adoption.notSetUp, now),
    side,
  ]);
  return {
    organization: {
      name: org.name,
      plan: org.plan,
      requireTwoFactor: org.requireTwoFactor,
      enforcementMode: org.enforcementMode,
    },
    requiredSince: org.requireTwoFactor ? org.requiredSince : null,
    adoption,
    history,
    atRisk,
    recentEvents: events.events.map((e) => ({ id: e.id, text: e.text, createdAt: e.createdAt })),
    upgrade,
  };
}
