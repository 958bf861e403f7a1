import type { Actor } from "../../auth/actor";
import type { Tx } from "../../db";
import { DomainError, fieldError } from "../../errors";
import type { RequestContext } from "../audit/audit-log";
import { sessionOf } from "../authz";
import type { SecondFactorInput } from "./factor-types";
import { factorsOf, hasAnyFactor } from "./factors";
import { verifySecondFactor } from "./verification";

// Step-up (S26: a fresh second factor before weakening someone's 2FA): before an action that weakens someone's 2FA, the
// acting person proves again, with their own second factor, that they are at the keyboard. The proof is recorded on the
// current Session (`stepUpAt`), which sign-in with a second factor also sets, and is accepted for STEP_UP_MAX_AGE_MS.
// Only verifying an EXISTING factor sets it: enrolling (or replacing) a factor marks the session as having passed 2FA
// (`secondFactorAt`), never as a step-up (S39: only verifying an existing factor counts), so a new authenticator added
// with a stolen password cannot unlock admin actions.

export const STEP_UP_MAX_AGE_MS = 10 * 60_000;

/**
 * Verifies a code of the actor (through verifySecondFactor, purpose "step-up") and, in the same transaction, marks
 * the actor's current session as freshly verified. Throws the DomainErrors of verifySecondFactor, and
 * SESSION_EXPIRED when the session is not a live session of the actor (nothing is then consumed).
 */
export async function stepUp(
  { actor, input, context }: { actor: Actor; input: SecondFactorInput; context: RequestContext },
  // No `tx`: the mark is written in verifySecondFactor's own transaction (a failure is counted after its rollback).
  { now = new Date() }: { now?: Date } = {},
): Promise<{ stepUpAt: Date; remainingRecoveryCodes: number }> {
  const { verified } = await verifySecondFactor(
    actor.userId,
    { method: input.method, code: input.code },
    { purpose: "step-up", context, now },
    async (tx) => {
      const { count } = await tx.session.updateMany({
        where: { id: sessionOf(actor), userId: actor.userId, revokedAt: null, expiresAt: { gt: now } },
        data: { secondFactorAt: now, stepUpAt: now },
      });
      if (count !== 1) throw new DomainError("SESSION_EXPIRED");
    },
  );
  return { stepUpAt: now, remainingRecoveryCodes: verified.remainingRecoveryCodes };
}

/**
 * Throws STEP_UP_REQUIRED unless the session passed a second factor within the last 10 minutes
 * (STEP_UP_NEEDS_OWN_TWO_FACTOR when the actor has no factor to step up with); SESSION_EXPIRED when
 * the session is missing, revoked, expired, or (when `userId` is given) belongs to someone else. Call it inside the
 * transaction of the action it protects.
 */
export async function assertRecentStepUp(
  tx: Tx,
  sessionId: string | null,
  now = new Date(),
  userId?: string,
): Promise<void> {
  if (!sessionId) throw new DomainError("SESSION_EXPIRED"); // an actor outside a request has no session to step up
  const session = await tx.session.findUnique({
    where: { id: sessionId },
    select: { userId: true, stepUpAt: true, revokedAt: true, expiresAt: true },
  });
  if (!session || session.revokedAt || session.expiresAt <= now || (userId !== undefined && session.userId !== userId))
    throw new DomainError("SESSION_EXPIRED");
  const verifiedAt = session.stepUpAt?.getTime();
  if (verifiedAt === undefined || now.getTime() - verifiedAt > STEP_UP_MAX_AGE_MS) {
    // Without a factor of their own (an app or a phone) there is nothing to step up with: say so instead of asking for
    // a code.
    if (!hasAnyFactor(await factorsOf(session.userId, { tx }))) throw new DomainError("STEP_UP_NEEDS_OWN_TWO_FACTOR");
    throw fieldError("STEP_UP_REQUIRED", { code: "STEP_UP_CODE" });
  }
}
