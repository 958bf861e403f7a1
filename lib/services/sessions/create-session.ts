import { randomToken } from "../../crypto/tokens";
import type { Tx } from "../../db";
import { env } from "../../env";
import type { RequestContext } from "../audit/audit-log";

// Server-side sessions (S21: revocable, the JWT carries only the session id; S22: an absolute lifetime besides the
// idle one). Only a completed sign-in creates one (lib/services/sign-in/complete-sign-in.ts).

export interface NewSession {
  userId: string;
  authMethod: string;
  secondFactorAt?: Date | null;
  /** From sessionGateAtStart, in the same transaction. */
  setupRequiredAtStart?: boolean;
  /** The session was started from an emailed link (set from the challenge's first factor). */
  linkProofAt?: Date | null;
  /** Issue 11 (S30): the sign-in skipped its second step; the session steps up before security or admin changes. */
  lowerAssurance?: boolean;
  context: RequestContext;
}

export async function createSession(tx: Tx, input: NewSession, now = new Date()) {
  return tx.session.create({
    data: {
      id: randomToken(24),
      userId: input.userId,
      authMethod: input.authMethod,
      secondFactorAt: input.secondFactorAt ?? null,
      // A session is created only by a sign-in, whose second factor is always an existing one: it counts as a step-up.
      stepUpAt: input.secondFactorAt ?? null,
      setupRequiredAtStart: input.setupRequiredAtStart ?? false,
      linkProofAt: input.linkProofAt ?? null,
      lowerAssurance: input.lowerAssurance ?? false,
      ip: input.context.ip,
      userAgent: input.context.userAgent?.slice(0, 512) ?? null,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + env.SESSION_MAX_AGE_HOURS * 3_600_000),
    },
  });
}
