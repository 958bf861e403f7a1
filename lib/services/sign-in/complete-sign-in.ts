import { hashToken } from "../../crypto/tokens";
import { db, type Tx } from "../../db";
import { DomainError } from "../../errors";
import { type RequestContext, recordAuditEvent } from "../audit/audit-log";
import { sessionGateAtStart } from "../org-policy/gate";
import { createSession } from "../sessions/create-session";
import { SECOND_FACTOR_AUTH_METHOD, type SecondFactorInput } from "../two-factor/factor-types";
import { verifySecondFactor } from "../two-factor/verification";
import { type Challenge, LINK_FIRST_FACTORS, loadChallenge, organizationIdsOf } from "./challenge";
import { alertAdminsOfRecoveryCodeSignIn } from "./recovery-code-alert";

export interface CompletedSignIn {
  userId: string;
  sessionId: string;
  name: string;
  email: string;
  authMethod: string;
  /** Unused recovery codes left, when a second factor was used. */
  remainingRecoveryCodes: number | null;
}

async function consumeChallenge(
  t: Tx,
  challenge: Challenge,
  opts: {
    authMethod: string;
    secondFactorAt: Date | null;
    context: RequestContext;
    now: Date;
    /** Set when the second factor was a recovery code: what is left (the admins' alert, B4). */
    recoveryCodesLeft?: number;
  },
): Promise<{ sessionId: string }> {
  const { now, context } = opts;
  const { count } = await t.signInChallenge.updateMany({
    where: { id: challenge.id, consumedAt: null, expiresAt: { gt: now } },
    data: { consumedAt: now },
  });
  if (count !== 1) throw new DomainError("CHALLENGE_EXPIRED");
  // The organizations' 2FA gate is decided now, from the policy at this moment (not when the password was checked).
  const setupRequiredAtStart = await sessionGateAtStart(t, challenge.userId, now);
  const session = await createSession(
    t,
    {
      userId: challenge.userId,
      authMethod: opts.authMethod,
      secondFactorAt: opts.secondFactorAt,
      setupRequiredAtStart,
      // Started from an emailed link (issue 10 item 7): known from the challenge the server created, never from input.
      linkProofAt: LINK_FIRST_FACTORS.includes(challenge.firstFactor) ? now : null,
      context,
    },
    now,
  );
  await t.user.update({ where: { id: challenge.userId }, data: { lastSignInAt: now } });
  const orgs = await organizationIdsOf(t, challenge.userId);
  for (const organizationId of orgs.length ? orgs : [null]) {
    await recordAuditEvent(t, {
      type: "signin.succeeded",
      organizationId,
      actorId: challenge.userId,
      targetId: challenge.userId,
      context,
      metadata: { method: opts.authMethod },
    });
  }
  if (opts.recoveryCodesLeft !== undefined)
    await alertAdminsOfRecoveryCodeSignIn(
      t,
      { userId: challenge.userId, organizationIds: orgs, remaining: opts.recoveryCodesLeft, context },
      now,
    );
  return { sessionId: session.id };
}

/**
 * The last step of every sign-in, run by next-auth's "challenge" credentials provider (lib/auth/sign-in.ts): consumes
 * the challenge exactly once and creates the session. When the challenge requires a second factor, the code is
 * verified by verifySecondFactor and consumed in the SAME transaction that consumes the challenge and creates the
 * session (S13: one check for every code; S16: no session before every step; S19: a challenge works once).
 */
export async function completeSignIn(
  {
    input,
    context,
  }: {
    input: { challengeToken: string | null | undefined; secondFactor?: SecondFactorInput | null };
    context: RequestContext;
  },
  { now = new Date() }: { now?: Date } = {},
): Promise<CompletedSignIn> {
  if (!input.challengeToken) throw new DomainError("CHALLENGE_EXPIRED");
  const challenge = await loadChallenge(db, hashToken(input.challengeToken));
  if (!challenge || challenge.consumedAt || challenge.expiresAt <= now) throw new DomainError("CHALLENGE_EXPIRED");
  const base = { userId: challenge.userId, name: challenge.user.name, email: challenge.user.email };

  // A link flow's first step was the password given on the emailed link's page: the method is still "password".
  const first = challenge.firstFactor === "sso" ? "sso" : "password";
  if (challenge.requirement === "none") {
    const { sessionId } = await db.$transaction((t) =>
      consumeChallenge(t, challenge, { authMethod: first, secondFactorAt: null, context, now }),
    );
    return { ...base, sessionId, authMethod: first, remainingRecoveryCodes: null };
  }
  if (challenge.requirement !== "second-factor") throw new DomainError("UNAUTHENTICATED");
  if (!input.secondFactor) throw new DomainError("UNAUTHENTICATED");
  const { result, verified } = await verifySecondFactor(
    challenge.userId,
    input.secondFactor,
    { purpose: "sign-in", context, now, challengeId: challenge.id },
    (t, factor) =>
      consumeChallenge(t, challenge, {
        authMethod: `${first}+${SECOND_FACTOR_AUTH_METHOD[factor.method]}`,
        secondFactorAt: now,
        context,
        now,
        ...(factor.method === "recovery" ? { recoveryCodesLeft: factor.remainingRecoveryCodes } : {}),
      }),
  );
  return {
    ...base,
    sessionId: result.sessionId,
    authMethod: `${first}+${SECOND_FACTOR_AUTH_METHOD[verified.method]}`,
    remainingRecoveryCodes: verified.remainingRecoveryCodes,
  };
}
