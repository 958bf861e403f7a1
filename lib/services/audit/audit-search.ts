import { type Actor, ADMINS } from "../../auth/actor";
import { db, type Prisma, type Tx } from "../../db";
import { actorMembership, organizationOf } from "../authz";
import { auditEventLabel } from "./audit-labels";
import { describeAuditEvent } from "./audit-text";

// The audit log page and its CSV export: the organization's events (administrators only), newest first, filtered by
// event type, actor, target and date range, one keyset page at a time on (createdAt, id) — the
// (organizationId, createdAt) index serves every page at the same cost, however deep.

export interface AuditCursor {
  createdAt: Date;
  id: string;
}

export interface AuditSearch {
  type?: string;
  /** Part of the actor's name or email address (people who are or were members of the organization). */
  actor?: string;
  /** Part of the target's name or email address. */
  target?: string;
  /** Events at or after this instant. */
  from?: Date;
  /** Events strictly before this instant. */
  to?: Date;
  /** Keyset cursor: events strictly older than this one. */
  before?: AuditCursor;
  limit?: number;
}

interface AuditEventView {
  id: string;
  type: string;
  label: string;
  createdAt: Date;
  ip: string | null;
  userAgent: string | null;
  actorId: string | null;
  targetId: string | null;
  actorName: string | null;
  actorEmail: string | null;
  targetName: string | null;
  targetEmail: string | null;
  /** The event as a sentence ("Ana Pereira reset Tom Li's two-factor authentication…"). */
  text: string;
}

export interface AuditPage {
  events: AuditEventView[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextCursor: AuditCursor | null;
}

const AUDIT_PAGE_SIZE = 50;
/** A name/email search matching more people than this narrows to the first ones (ask for a longer search). */
const PEOPLE_MATCH_LIMIT = 1000;

export function encodeAuditCursor(cursor: AuditCursor): string {
  return `${cursor.createdAt.getTime()}-${cursor.id}`;
}

/** The cursor in a URL, or null when it is not one (a bad cursor starts from the newest event). */
export function decodeAuditCursor(value: string | undefined | null): AuditCursor | null {
  const match = /^(\d{1,15})-([a-z0-9]{1,40})$/.exec(value ?? "");
  if (!match) return null;
  const createdAt = new Date(Number(match[1]));
  return Number.isNaN(createdAt.getTime()) ? null : { createdAt, id: match[2] as string };
}

async function peopleMatching(tx: Tx, organizationId: string, text: string): Promise<string[]> {
  const users = await tx.user.findMany({
    where: {
      memberships: { some: { organizationId } },
      OR: [{ name: { contains: text, mode: "insensitive" } }, { email: { contains: text, mode: "insensitive" } }],
    },
    select: { id: true },
    take: PEOPLE_MATCH_LIMIT,
  });
  return users.map((u) => u.id);
}

export async function searchAuditEvents(
  { actor, input: search = {} }: { actor: Actor; input?: AuditSearch },
  { tx = db }: { tx?: Tx } = {},
): Promise<AuditPage> {
  await actorMembership(tx, actor, ADMINS);
  const limit = Math.min(Math.max(search.limit ?? AUDIT_PAGE_SIZE, 1), 200);
  const where: Prisma.AuditEventWhereInput = { organizationId: organizationOf(actor) };
  const and: Prisma.AuditEventWhereInput[] = [];
  if (search.type) where.type = search.type;
  if (search.actor) where.actorId = { in: await peopleMatching(tx, organizationOf(actor), search.actor) };
  if (search.target) where.targetId = { in: await peopleMatching(tx, organizationOf(actor), search.target) };
  if (search.from || search.to) where.createdAt = { gte: search.from, lt: search.to };
  if (search.before) {
    and.push({
      OR: [
        { createdAt: { lt: search.before.createdAt } },
        { createdAt: search.before.createdAt, id: { lt: search.before.id } },
      ],
    });
  }
  if (and.length) where.AND = and;

  const rows = await tx.auditEvent.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const ids = [...new Set(page.flatMap((r) => [r.actorId, r.targetId]).filter((x): x is string => Boolean(x)))];
  const users = ids.length
    ? await tx.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true } })
    : [];
  const people = new Map(users.map((u) => [u.id, u]));
  const last = page.at(-1);
  return {
    nextCursor: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null,
    events: page.map((r) => {
      const a = r.actorId ? people.get(r.actorId) : undefined;
      const t = r.targetId ? people.get(r.targetId) : undefined;
      return {
        id: r.id,
        type: r.type,
        label: auditEventLabel(r.type),
        createdAt: r.createdAt,
        ip: r.ip,
        userAgent: r.userAgent,
        actorId: r.actorId,
        targetId: r.targetId,
        actorName: a?.name ?? null,
        actorEmail: a?.email ?? null,
        targetName: t?.name ?? null,
        targetEmail: t?.email ?? null,
        text: describeAuditEvent(r, a?.name ?? null, t?.name ?? null),
      };
    }),
  };
}
