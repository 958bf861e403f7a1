import type { Actor } from "../../auth/actor";
import { db, type Tx } from "../../db";

/** The user's oldest active membership with its organization. */
export async function loadMembershipContext(
  { actor }: { actor: Pick<Actor, "userId"> },
  { tx = db }: { tx?: Tx } = {},
) {
  const userId = actor.userId;
  const memberships = await tx.membership.findMany({
    where: { userId, status: "ACTIVE" },
    include: { organization: true },
    orderBy: { createdAt: "asc" },
    take: 1,
  });
  const m = memberships[0];
  if (!m) return null;
  return {
    membership: { id: m.id, role: m.role, type: m.type },
    organization: {
      id: m.organization.id,
      name: m.organization.name,
      slug: m.organization.slug,
      plan: m.organization.plan,
    },
  };
}
