import { type Actor, ADMINS } from "../../auth/actor";
import type { Role } from "../../db";
import { db, inTransaction, type Tx } from "../../db";
import { DomainError, detailMessages } from "../../errors";
import { type RequestContext, recordAuditEvent } from "../audit/audit-log";
import { actorMembership, organizationOf, targetMembership } from "../authz";
import { assertRecentStepUp } from "../two-factor/step-up";

export interface TeammateRow {
  membershipId: string;
  userId: string;
  name: string;
  email: string;
  role: Role;
  type: string;
  signInMethod: string;
  lastSignInAt: Date | null;
  joinedAt: Date;
}

export const TEAMMATES_PAGE_SIZE = 50;

export interface TeammatesPage {
  rows: TeammateRow[];
  /** Active members of the organization in all. */
  total: number;
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** One page of everyone in the actor's organization (any member may see the directory), owner and admins first.
 *  Keyset pagination on (role, joined, id) through a cursor, so a page costs the same at any depth. */
export async function listTeammates(
  { actor, input: page = {} }: { actor: Actor; input?: { after?: string | null; limit?: number } },
  { tx = db }: { tx?: Tx } = {},
): Promise<TeammatesPage> {
  await actorMembership(tx, actor, ["OWNER", "ADMIN", "MEMBER"]);
  const limit = Math.min(Math.max(page.limit ?? TEAMMATES_PAGE_SIZE, 1), 200);
  const where = { organizationId: organizationOf(actor), status: "ACTIVE" as const };
  // A cursor from another organization (or a stale one) simply starts from the top.
  const cursor = page.after
    ? await tx.membership.findFirst({ where: { ...where, id: page.after }, select: { id: true } })
    : null;
  const [rows, total] = await Promise.all([
    tx.membership.findMany({
      where,
      include: { user: { select: { id: true, name: true, email: true, signInMethod: true, lastSignInAt: true } } },
      orderBy: [{ role: "asc" }, { createdAt: "asc" }, { id: "asc" }],
      ...(cursor ? { cursor: { id: cursor.id }, skip: 1 } : {}),
      take: limit + 1,
    }),
    tx.membership.count({ where }),
  ]);
  const pageRows = rows.slice(0, limit);
  return {
    total,
    nextCursor: rows.length > limit ? (pageRows.at(-1)?.id ?? null) : null,
    rows: pageRows.map((m) => ({
      membershipId: m.id,
      userId: m.user.id,
      name: m.user.name,
      email: m.user.email,
      role: m.role,
      type: m.type,
      signInMethod: m.user.signInMethod,
      lastSignInAt: m.user.lastSignInAt,
      joinedAt: m.createdAt,
    })),
  };
}

/** Admins change a teammate's role between Administrator and Member; nobody but the owner touches the owner.
 *  Promotion to Administrator needs a recent step-up of the acting admin (S42: making someone an
 *  administrator needs a fresh second factor): STEP_UP_REQUIRED without one. */
export async function changeRole(
  {
    actor,
    input,
    context,
  }: { actor: Actor; input: { membershipId: string; role: Exclude<Role, "OWNER"> }; context: RequestContext },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
) {
  return inTransaction(tx, async (t) => {
    await actorMembership(t, actor, ADMINS);
    const target = await targetMembership(t, actor, input.membershipId);
    if (target.userId === actor.userId) throw new DomainError("FORBIDDEN", { detail: detailMessages.OWN_ROLE });
    if (target.role === input.role) return { changed: false };
    if (input.role === "ADMIN") await assertRecentStepUp(t, actor.sessionId, now, actor.userId);
    // Conditional on the role read above: an ownership transfer to this admin committing in between must not be
    // overwritten (that would leave the organization without an owner).
    const { count } = await t.membership.updateMany({
      where: { id: target.id, role: target.role, status: "ACTIVE" },
      data: { role: input.role },
    });
    if (count !== 1) throw new DomainError("CONFLICT");
    await recordAuditEvent(t, {
      type: "member.role_changed",
      organizationId: organizationOf(actor),
      actorId: actor.userId,
      targetId: target.userId,
      context,
      metadata: { from: target.role, to: input.role },
    });
    return { changed: true };
  });
}

/** Counts for the organization's overview: members, admins, pending invitations, and who owns it. */
export async function organizationSummary(
  { actor }: { actor: Actor },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
) {
  await actorMembership(tx, actor, ["OWNER", "ADMIN", "MEMBER"]);
  const [members, admins, pendingInvitations, owner] = await Promise.all([
    tx.membership.count({ where: { organizationId: organizationOf(actor), status: "ACTIVE" } }),
    tx.membership.count({
      where: { organizationId: organizationOf(actor), status: "ACTIVE", role: { in: ["OWNER", "ADMIN"] } },
    }),
    tx.invitation.count({
      where: {
        organizationId: organizationOf(actor),
        acceptedAt: null,
        revokedAt: null,
        expiresAt: { gt: now },
      },
    }),
    tx.membership.findFirst({
      where: { organizationId: organizationOf(actor), role: "OWNER" },
      include: { user: { select: { name: true, email: true } } },
    }),
  ]);
  return {
    members,
    admins,
    pendingInvitations,
    owner: owner ? { name: owner.user.name, email: owner.user.email } : null,
  };
}
