import type { Actor } from "../../auth/actor";
import { db, type Tx } from "../../db";
import { DomainError } from "../../errors";
import { actorMembership, organizationOf } from "../authz";
import { factorsOf, hasAnyFactor, userWithFactor } from "../two-factor/factors";

// Settings > Owner: what the owner may choose from when handing the organization to an administrator (the transfer
// itself is transfer-ownership.ts).

export interface OwnershipCandidate {
  membershipId: string;
  name: string;
  email: string;
}

export interface TransferOptions {
  /** Active administrators with 2FA: the only people ownership can go to. */
  candidates: OwnershipCandidate[];
  /** Active administrators who could receive ownership once they turn on 2FA. */
  adminsWithoutTwoFactor: number;
  /** Whether the owner has 2FA (needed to confirm the transfer). */
  ownerHasTwoFactor: boolean;
}

/** Who may receive ownership: active administrators of the organization with a second factor (an app or a phone). */
export const eligibleWhere = (organizationId: string) => ({
  organizationId,
  role: "ADMIN" as const,
  status: "ACTIVE" as const,
  user: userWithFactor,
});

/** The actor's owner membership; OWNERSHIP_NOT_OWNER for anyone else. */
export async function ownerMembership(tx: Tx, actor: Actor) {
  try {
    return await actorMembership(tx, actor, ["OWNER"]);
  } catch (e) {
    throw new DomainError("OWNERSHIP_NOT_OWNER", { cause: e });
  }
}

/** What the owner may choose from (OWNERSHIP_NOT_OWNER for anyone else). */
export async function transferOptions(
  { actor }: { actor: Actor },
  { tx = db }: { tx?: Tx } = {},
): Promise<TransferOptions> {
  await ownerMembership(tx, actor);
  const [eligible, admins, factor] = await Promise.all([
    tx.membership.findMany({
      where: eligibleWhere(organizationOf(actor)),
      include: { user: { select: { name: true, email: true } } },
      orderBy: [{ user: { name: "asc" } }, { id: "asc" }],
      take: 500,
    }),
    tx.membership.count({ where: { organizationId: organizationOf(actor), role: "ADMIN", status: "ACTIVE" } }),
    factorsOf(actor.userId, { tx }),
  ]);
  return {
    candidates: eligible.map((m) => ({ membershipId: m.id, name: m.user.name, email: m.user.email })),
    adminsWithoutTwoFactor: admins - eligible.length,
    ownerHasTwoFactor: hasAnyFactor(factor),
  };
}
