import type { Tx } from "../db";
import { DomainError } from "../errors";
import type { Role } from "../db";

// Object-level authorization used inside every mutating service (S25): the actor's role is read from the
// database here, never taken from the caller.

export interface Actor {
  userId: string;
  organizationId: string;
}

/** An actor acting through a session: what step-up (S26, S42) is checked on. */
export interface SessionActor extends Actor {
  sessionId: string;
}

export async function actorMembership(tx: Tx, actor: Actor, roles: readonly Role[]) {
  const m = await tx.membership.findUnique({
    where: { organizationId_userId: { organizationId: actor.organizationId, userId: actor.userId } },
  });
  if (!m || m.status !== "ACTIVE" || !roles.includes(m.role)) throw new DomainError("FORBIDDEN");
  return m;
}

/** A membership of the actor's organization that an admin may act on: never the owner, never another org. */
export async function targetMembership(tx: Tx, actor: Actor, membershipId: string) {
  const m = await tx.membership.findUnique({ where: { id: membershipId }, include: { user: true } });
  if (!m || m.organizationId !== actor.organizationId || m.status !== "ACTIVE") throw new DomainError("NOT_FOUND");
  if (m.role === "OWNER") throw new DomainError("OWNER_PROTECTED");
  return m;
}

export const ADMINS: readonly Role[] = ["OWNER", "ADMIN"];
