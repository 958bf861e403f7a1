import { db, type Tx } from "../../db";

/** The user's oldest active membership with its organization. */
export async function loadMembershipContext(userId: string, tx: Tx = db) {
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
