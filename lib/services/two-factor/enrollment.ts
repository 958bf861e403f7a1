import type { Actor } from "../../auth/actor";
import { currentKeyVersion, decryptSecret, encryptSecret } from "../../crypto/encryption";
import { formatSecretForDisplay, generateTotpSecret, otpauthUri } from "../../crypto/totp";
import { db, inTransaction, type Tx } from "../../db";
import type { RequestContext } from "../audit/audit-log";
import { enrollmentIsForced } from "../org-policy/gate";
import { auditForUser } from "./audit-for-user";

// Enrollment of an authenticator app: start (a new secret, shown once), the pending QR again, what confirming needs,
// cancel. Confirming is confirm-enrollment.ts. Every change that alters a user's factors revokes their other sessions
// and marks the current one as having passed 2FA (issue 3 §6), and mails the user through the outbox in the same
// transaction (rule S33: every security change is mailed to the person).

export const ENROLLMENT_TTL_MS = 10 * 60_000;

/**
 * Starts (or restarts) enrollment: a new secret, shown once, valid for 10 minutes (S4: a pending secret expires). It
 * never counts for sign-in until confirmed; a confirmed factor (re-enrollment) stays in force until the new one is
 * confirmed.
 */
export async function startTotpEnrollment(
  { actor, context }: { actor: Actor; context: RequestContext },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
) {
  const user = await tx.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { email: true } });
  const secret = generateTotpSecret();
  const expiresAt = new Date(now.getTime() + ENROLLMENT_TTL_MS);
  await inTransaction(tx, async (t) => {
    const data = {
      secretEnc: encryptSecret(secret, { userId: actor.userId }),
      keyVersion: currentKeyVersion(),
      createdAt: now,
      expiresAt,
    };
    await t.totpEnrollment.upsert({
      where: { userId: actor.userId },
      create: { userId: actor.userId, ...data },
      update: data,
    });
    await auditForUser(t, actor.userId, "2fa.enrollment_started", context, {});
  });
  return {
    otpauthUri: otpauthUri({ secret, accountName: user.email }),
    secretForDisplay: formatSecretForDisplay(secret),
    expiresAt,
  };
}

/** The pending enrollment's QR data again (page reload), while it is still valid. */
export async function pendingTotpEnrollment(
  { actor }: { actor: Pick<Actor, "userId"> },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
) {
  const { userId } = actor;
  const pending = await tx.totpEnrollment.findUnique({ where: { userId } });
  if (!pending || pending.expiresAt <= now) return null;
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
  const secret = decryptSecret(pending.secretEnc, { userId });
  return {
    otpauthUri: otpauthUri({ secret, accountName: user.email }),
    secretForDisplay: formatSecretForDisplay(secret),
    expiresAt: pending.expiresAt,
  };
}

/** How long after an emailed link started the session a setup still counts as part of that link flow. */
export const LINK_PROOF_WINDOW_MS = 30 * 60_000;

/**
 * What confirming an enrollment needs besides the app code: the current password (users who have one; SSO users do
 * not), and a code sent to their email when the enrollment is forced by an organization and they have no 2FA yet, or
 * when they have no password to prove who they are (issue 4 §5, attacker-enrols-first guard, B5).
 *
 * Inside a link flow (issue 10 item 7) neither is asked: the session was started within the last 30 minutes from an
 * emailed link (invitation, re-enrollment) on which the password was just given, so the mailbox and the password are
 * already proven. The server reads that from the session row (`linkProofAt`, set from the challenge the link flow
 * created), never from the request. Replacing an existing factor still needs the current one (S39).
 */
export async function enrollmentRequirements(
  { actor }: { actor: Pick<Actor, "userId"> & { sessionId?: string | null } },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
) {
  const { userId } = actor;
  const user = await tx.user.findUniqueOrThrow({
    where: { id: userId },
    select: { passwordHash: true, totpFactor: { select: { userId: true } } },
  });
  const forced = !user.totpFactor && (await enrollmentIsForced({ actor: { userId } }, { now }));
  // S39 (replacing a factor needs the current one): a code from it or a recovery code, besides the password.
  const needsCurrentFactor = Boolean(user.totpFactor);
  const linkFlow = await sessionStartedFromLink(tx, userId, actor.sessionId ?? null, now);
  const hasPassword = user.passwordHash !== null;
  return {
    needsPassword: hasPassword && !linkFlow,
    needsEmailCode: !linkFlow && (forced || !hasPassword),
    forced,
    needsCurrentFactor,
    linkFlow,
  };
}

/** Whether `sessionId` is a live session of `userId` that an emailed link started less than 30 minutes ago. */
async function sessionStartedFromLink(tx: Tx, userId: string, sessionId: string | null, now: Date): Promise<boolean> {
  if (!sessionId) return false;
  const session = await tx.session.findUnique({
    where: { id: sessionId },
    select: { userId: true, linkProofAt: true, revokedAt: true, expiresAt: true },
  });
  if (!session || session.userId !== userId || session.revokedAt || session.expiresAt <= now || !session.linkProofAt)
    return false;
  const age = now.getTime() - session.linkProofAt.getTime();
  return age >= 0 && age < LINK_PROOF_WINDOW_MS;
}

/** Abandons a pending enrollment (the confirmed factor, if any, stays). */
export async function cancelTotpEnrollment(
  { actor }: { actor: Pick<Actor, "userId"> },
  { tx = db }: { tx?: Tx } = {},
): Promise<void> {
  await tx.totpEnrollment.deleteMany({ where: { userId: actor.userId } });
}
