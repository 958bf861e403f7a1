import { type Actor, ADMINS } from "../../auth/actor";
import { db, type Tx } from "../../db";
import { actorMembership, organizationOf } from "../authz";

/** The organization's pending invitations, newest first (admins only). */
export async function listPendingInvitations(
  { actor }: { actor: Actor },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
) {
  await actorMembership(tx, actor, ADMINS);
  const rows = await tx.invitation.findMany({
    where: { organizationId: organizationOf(actor), acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    include: { invitedBy: { select: { name: true } } },
    orderBy: { createdAt: "desc" },
  });
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    role: r.role,
    type: r.type,
    invitedBy: r.invitedBy.name,
    expiresAt: r.expiresAt,
    createdAt: r.createdAt,
  }));
}
