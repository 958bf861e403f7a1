import { hashToken, randomToken } from "../../crypto/tokens";
import { db, type Tx } from "../../db";
import type { RequestContext } from "../audit/audit-log";
import { type KeyState, peek } from "../rate-limit/limiter";
import { SMS_RESEND_MS } from "../sms/caps";
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
) {
  const token = randomToken(32);
  const factor = await tx.totpFactor.findUnique({ where: { userId }, select: { userId: true } });
  // A confirmed phone (issue 12) is a second factor too, alone or beside the app.
  const phone = factor ? null : await tx.phoneFactor.findUnique({ where: { userId }, select: { userId: true } });
  const requirement: ChallengeRequirement = factor || phone ? "second-factor" : "none";
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
    methods:
      requirement === "second-factor" ? await secondFactorMethods(tx, challenge.id, challenge.userId, now) : null,
  };
}

/** Which second factors this person can use on the verify page (issue 12): the app, a text to their phone (its last
 *  four digits; when a code was texted for this sign-in, when another may be asked), recovery codes. */
async function secondFactorMethods(tx: Tx, challengeId: string, userId: string, now: Date) {
  const [totp, phone, recoveryCodes, textForThis, lastText] = await Promise.all([
    tx.totpFactor.findUnique({ where: { userId }, select: { userId: true } }),
    tx.phoneFactor.findUnique({ where: { userId }, select: { phoneE164: true } }),
    tx.recoveryCode.count({ where: { userId, usedAt: null } }),
    tx.smsCode.findFirst({
      where: { userId, purpose: "sign-in", challengeId, expiresAt: { gt: now } },
      orderBy: { createdAt: "desc" },
      select: { createdAt: true },
    }),
    // The 30 s between two texts counts for the person, whichever sign-in asked (sms/caps.ts).
    tx.smsCode.findFirst({
      where: { userId, purpose: "sign-in", createdAt: { gt: new Date(now.getTime() - SMS_RESEND_MS) } },
      orderBy: { createdAt: "desc" },
      select: { createdAt: true },
    }),
  ]);
  return {
    totp: Boolean(totp),
    sms: phone
      ? {
          lastFour: phone.phoneE164.slice(-4),
          sentAt: textForThis?.createdAt ?? null,
          resendAfter: lastText ? new Date(lastText.createdAt.getTime() + SMS_RESEND_MS) : null,
        }
      : null,
    recovery: recoveryCodes > 0,
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
