import { hashToken, randomToken } from "../crypto/tokens";
import { db, type Tx } from "../db";
import { DomainError } from "../errors";
import { type RequestContext, recordAuditEvent } from "./audit/audit-log";
import { sessionGateAtStart } from "./org-policy/policy";
import { checkPasswordThrottled } from "./password-check";
import { createSession } from "./sessions";
import { type SecondFactorInput, verifySecondFactor } from "./two-factor/verification";

// Sign-in is two server-side steps with no session in between (S16):
//   1. passwordStep: checks the password and creates a short-lived, single-use challenge; the browser
//      receives its random token in an HttpOnly cookie.
//   2. completeSignIn: called by next-auth's "challenge" credentials provider; consumes the challenge
//      (once), and only then creates the Session row whose id goes into the JWT.
// A later step (second factor) is recorded on the challenge as its `requirement`.

export const CHALLENGE_TTL_MS = 5 * 60_000;
export const CHALLENGE_COOKIE = "twofold-challenge";

export type ChallengeRequirement = "none" | "second-factor";
/** How the first step was passed: our password check, or the organization's OpenID Connect provider. */
export type FirstFactor = "password" | "sso";

export async function organizationIdsOf(tx: Tx, userId: string): Promise<string[]> {
  const rows = await tx.membership.findMany({ where: { userId, status: "ACTIVE" }, select: { organizationId: true } });
  return rows.map((r) => r.organizationId);
}

/** Creates the pending sign-in (S16) for a user whose first factor just passed. Returns the raw token. */
export async function createChallenge(
  tx: Tx,
  userId: string,
  context: RequestContext,
  now = new Date(),
  firstFactor: FirstFactor = "password",
) {
  const token = randomToken(32);
  const factor = await tx.totpFactor.findUnique({ where: { userId }, select: { userId: true } });
  const requirement: ChallengeRequirement = factor ? "second-factor" : "none";
  await tx.signInChallenge.create({
    data: {
      tokenHash: hashToken(token),
      userId,
      requirement,
      firstFactor,
      ip: context.ip,
      userAgent: context.userAgent?.slice(0, 512) ?? null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
    },
  });
  return { token, requirement };
}

/**
 * The password step (S16, S36, issue 9 items 2, 3, 11): throttled per network, per (account, network) and per account
 * before the hash is checked, with keys derived from the submitted email — an unknown email takes the same path (a
 * dummy hash), the same limits and the same words as a wrong password. INVALID_CREDENTIALS or RATE_LIMITED.
 */
export async function passwordStep(
  input: { email: string; password: string },
  context: RequestContext,
  tx: Tx = db,
  now = new Date(),
): Promise<{ challengeToken: string; requirement: ChallengeRequirement }> {
  const user = await tx.user.findUnique({ where: { email: input.email }, omit: { passwordHash: false } });
  const account = user ? { ...user, passwordHash: user.signInMethod === "PASSWORD" ? user.passwordHash : null } : null;
  return checkPasswordThrottled(
    { email: input.email, password: input.password, account, purpose: "sign-in" },
    context,
    now,
    () => new DomainError("INVALID_CREDENTIALS"),
    async (t) => {
      const { token, requirement } = await createChallenge(t, (user as { id: string }).id, context, now);
      return { challengeToken: token, requirement };
    },
  );
}

export interface CompletedSignIn {
  userId: string;
  sessionId: string;
  name: string;
  email: string;
  authMethod: string;
  /** Unused recovery codes left, when a second factor was used. */
  remainingRecoveryCodes: number | null;
}

type Challenge = NonNullable<Awaited<ReturnType<typeof loadChallenge>>>;

function loadChallenge(tx: Tx, tokenHash: string) {
  return tx.signInChallenge.findUnique({ where: { tokenHash }, include: { user: true } });
}

/** What the second-step page needs to know about this browser's pending sign-in (null when there is none). */
export async function describeChallenge(challengeToken: string | null | undefined, now = new Date()) {
  if (!challengeToken) return null;
  const challenge = await loadChallenge(db, hashToken(challengeToken));
  if (!challenge || challenge.consumedAt || challenge.expiresAt <= now) return null;
  return {
    requirement: challenge.requirement as ChallengeRequirement,
    expiresAt: challenge.expiresAt,
    email: challenge.user.email,
  };
}

async function finishSignIn(
  t: Tx,
  challenge: Challenge,
  opts: { authMethod: string; secondFactorAt: Date | null; context: RequestContext; now: Date },
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
  return { sessionId: session.id };
}

/**
 * The last step of every sign-in, called by next-auth's "challenge" provider: consumes the challenge exactly once and
 * creates the session. When the challenge requires a second factor, the code is verified by verifySecondFactor and
 * consumed in the SAME transaction that consumes the challenge and creates the session (S13, S16, S19).
 */
export async function completeSignIn(
  input: { challengeToken: string | null | undefined; secondFactor?: SecondFactorInput | null },
  context: RequestContext,
  now = new Date(),
): Promise<CompletedSignIn> {
  if (!input.challengeToken) throw new DomainError("CHALLENGE_EXPIRED");
  const tokenHash = hashToken(input.challengeToken);
  const challenge = await loadChallenge(db, tokenHash);
  if (!challenge || challenge.consumedAt || challenge.expiresAt <= now) throw new DomainError("CHALLENGE_EXPIRED");
  const base = { userId: challenge.userId, name: challenge.user.name, email: challenge.user.email };

  const first = challenge.firstFactor === "sso" ? "sso" : "password";
  if (challenge.requirement === "none") {
    const { sessionId } = await db.$transaction((t) =>
      finishSignIn(t, challenge, { authMethod: first, secondFactorAt: null, context, now }),
    );
    return { ...base, sessionId, authMethod: first, remainingRecoveryCodes: null };
  }
  if (challenge.requirement !== "second-factor") throw new DomainError("UNAUTHENTICATED");
  if (!input.secondFactor) throw new DomainError("UNAUTHENTICATED");
  const { result, verified } = await verifySecondFactor(
    challenge.userId,
    input.secondFactor,
    { purpose: "sign-in", context, now },
    (t, factor) =>
      finishSignIn(t, challenge, {
        authMethod: `${first}+${factor.method === "recovery" ? "recovery-code" : "totp"}`,
        secondFactorAt: now,
        context,
        now,
      }),
  );
  return {
    ...base,
    sessionId: result.sessionId,
    authMethod: `${first}+${verified.method === "recovery" ? "recovery-code" : "totp"}`,
    remainingRecoveryCodes: verified.remainingRecoveryCodes,
  };
}
