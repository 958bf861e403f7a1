import { hashToken, randomToken } from "../../crypto/tokens";
import { db, type Tx } from "../../db";
import type { RequestContext } from "../audit/audit-log";
import { type KeyState, peek } from "../rate-limit/limiter";
import { decideSecondStepSkip, type SkipRequest } from "../trusted-access/skip";
import { ATTEMPTS_LEFT_FROM, secondFactorKey, secondFactorPolicy } from "../two-factor/lock-policy";

// The pending sign-in (S16: no session before every step passed). A first step (password, SSO, sign-up, invitation,
// re-enrollment) creates a short-lived, single-use challenge; the browser holds its random token in an HttpOnly cookie
// (lib/auth/cookies.ts) and only completeSignIn (./complete-sign-in.ts) turns it into a session.

export const CHALLENGE_TTL_MS = 5 * 60_000;

export type ChallengeRequirement = "none" | "second-factor";
/** How the first step was passed: our password check, the organization's OpenID Connect provider, or an emailed link
 *  together with the password given on it (an accepted invitation, a re-enrollment link: the link proves the mailbox). */
export type FirstFactor = "password" | "sso" | LinkFirstFactor;
export type LinkFirstFactor = "invitation" | "reenrollment-link";
export const LINK_FIRST_FACTORS: readonly string[] = ["invitation", "reenrollment-link"] satisfies LinkFirstFactor[];

export async function organizationIdsOf(tx: Tx, userId: string): Promise<string[]> {
  const rows = await tx.membership.findMany({ where: { userId, status: "ACTIVE" }, select: { organizationId: true } });
  return rows.map((r) => r.organizationId);
}

/** Creates the pending sign-in for a user whose first factor just passed. Returns the raw token. */
export async function createChallenge(
  tx: Tx,
  userId: string,
  context: RequestContext,
  now = new Date(),
  firstFactor: FirstFactor = "password",
  /** What the skip checks read from the browser besides its address (issue 11: the remembered-device cookie). */
  skipInput: Omit<SkipRequest, "userId" | "context"> = {},
) {
  const token = randomToken(32);
  const factor = await tx.totpFactor.findUnique({ where: { userId }, select: { userId: true } });
  // Issue 11: a trusted network (and later a remembered device or familiar sign-in) skips the PROMPT of an existing
  // factor, never an enrolment; the session is then lower assurance (complete-sign-in.ts, S30).
  const skip = factor ? await decideSecondStepSkip(tx, { userId, context, ...skipInput }, now) : null;
  const requirement: ChallengeRequirement = factor && !skip ? "second-factor" : "none";
  await tx.signInChallenge.create({
    data: {
      tokenHash: hashToken(token),
      userId,
      requirement,
      firstFactor,
      skipReason: skip?.reason ?? null,
      skipDetail: skip?.detail ?? null,
      ip: context.ip,
      userAgent: context.userAgent?.slice(0, 512) ?? null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
    },
  });
  return { token, requirement, skipReason: skip?.reason ?? null };
}

export type Challenge = NonNullable<Awaited<ReturnType<typeof loadChallenge>>>;

export function loadChallenge(tx: Tx, tokenHash: string) {
  return tx.signInChallenge.findUnique({ where: { tokenHash }, include: { user: true } });
}

/** What the second-step page needs to know about this browser's pending sign-in (null when there is none). */
export async function describeChallenge(
  { input }: { input: { challengeToken: string | null | undefined } },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
) {
  if (!input.challengeToken) return null;
  const challenge = await loadChallenge(tx, hashToken(input.challengeToken));
  if (!challenge || challenge.consumedAt || challenge.expiresAt <= now) return null;
  const requirement = challenge.requirement as ChallengeRequirement;
  return {
    requirement,
    expiresAt: challenge.expiresAt,
    email: challenge.user.email,
    secondFactor: requirement === "second-factor" ? await secondFactorState(tx, challenge.userId, now) : null,
  };
}

/** The verify page, before anyone submits (issue 10 item 5): is the second step locked (until when), and, from the
 *  third failure on, how many attempts are left — the per-account limiter's real state. */
async function secondFactorState(
  tx: Tx,
  userId: string,
  now: Date,
): Promise<{ lockedUntil: Date | null; attemptsLeft: number | null }> {
  const state: KeyState = await peek(tx, secondFactorKey(userId), secondFactorPolicy, now);
  return {
    lockedUntil: state.lockedUntil,
    attemptsLeft: !state.lockedUntil && state.failures >= ATTEMPTS_LEFT_FROM ? state.attemptsLeft : null,
  };
}
