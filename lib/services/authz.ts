import type { Actor } from "../auth/actor";
import type { Role, Tx } from "../db";
import { DomainError, fieldError } from "../errors";

// Object-level authorization used inside every mutating service (rule S25: who may do this to whom, in which
// organization, checked by the service itself): the actor's role is read from the database here, never taken from the
// caller.

/** The organization the actor acts in; FORBIDDEN for a personal actor (no organization). */
export function organizationOf(actor: Actor): string {
  if (!actor.organizationId) throw new DomainError("FORBIDDEN");
  return actor.organizationId;
}

/** The session the actor acts through; SESSION_EXPIRED for an actor without one (seed, scripts). */
export function sessionOf(actor: Actor): string {
  if (!actor.sessionId) throw new DomainError("SESSION_EXPIRED");
  return actor.sessionId;
}

export async function actorMembership(tx: Tx, actor: Actor, roles: readonly Role[]) {
  const organizationId = organizationOf(actor);
  const m = await tx.membership.findUnique({
    where: { organizationId_userId: { organizationId, userId: actor.userId } },
  });
  if (m?.status !== "ACTIVE" || !roles.includes(m.role)) throw new DomainError("FORBIDDEN");
  if (!roles.includes("MEMBER")) await assertFullAssurance(tx, actor);
  return m;
}

/**
 * S30, checked again by the services (the guards check it first): a session whose sign-in skipped the second step
 * (trusted network, remembered device, familiar sign-in) does no owner/administrator action until it has stepped up.
 * An actor outside a request (seed, scripts) has no session and no sign-in to doubt.
 */
export async function assertFullAssurance(tx: Tx, actor: Actor): Promise<void> {
  if (!actor.sessionId) return;
  const session = await tx.session.findUnique({
    where: { id: actor.sessionId },
    select: { lowerAssurance: true, stepUpAt: true },
  });
  if (session?.lowerAssurance && session.stepUpAt === null)
    throw fieldError("STEP_UP_REQUIRED", { code: "STEP_UP_CODE" });
}

/** A membership of the actor's organization that an admin may act on: never the owner, never another org. */
export async function targetMembership(tx: Tx, actor: Actor, membershipId: string) {
  const m = await tx.membership.findUnique({ where: { id: membershipId }, include: { user: true } });
  if (!m || m.organizationId !== organizationOf(actor) || m.status !== "ACTIVE") throw new DomainError("NOT_FOUND");
  if (m.role === "OWNER") throw new DomainError("OWNER_PROTECTED");
  return m;
}
