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
  // An admin-only check also reads the session's assurance (S30), with the membership in one statement (the session
  // through the user: only a session of this user counts).
  const assuranceOf = roles.includes("MEMBER") ? null : actor.sessionId;
  const found = await tx.membership.findUnique({
    where: { organizationId_userId: { organizationId, userId: actor.userId } },
    include: {
      user: {
        select: {
          sessions: { where: { id: assuranceOf ?? "" }, select: { lowerAssurance: true, stepUpAt: true }, take: 1 },
        },
      },
    },
  });
  if (found?.status !== "ACTIVE" || !roles.includes(found.role)) throw new DomainError("FORBIDDEN");
  const { user, ...membership } = found;
  if (assuranceOf) refuseLowerAssurance(user.sessions[0] ?? null);
  return membership;
}

/**
 * S30, checked again by the services (the guards check it first): a session whose sign-in skipped the second step
 * (trusted network, remembered device, familiar sign-in) does no owner/administrator action until it has stepped up.
 * An actor outside a request (seed, scripts) has no session and no sign-in to doubt.
 */
export async function assertFullAssurance(tx: Tx, actor: Actor): Promise<void> {
  if (!actor.sessionId) return;
  refuseLowerAssurance(
    await tx.session.findUnique({ where: { id: actor.sessionId }, select: { lowerAssurance: true, stepUpAt: true } }),
  );
}

function refuseLowerAssurance(session: { lowerAssurance: boolean; stepUpAt: Date | null } | null): void {
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
