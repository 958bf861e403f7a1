import { hashToken, randomToken } from "../../crypto/tokens";
import { db, inTransaction, type Tx } from "../../db";
import { DomainError } from "../../errors";
import { type RequestContext, recordAuditEvent } from "../audit/audit-log";
import { type ChallengeRequirement, createChallenge } from "../sign-in/challenge";
import { requirePassword } from "./password";

// Re-enrollment links (S28: an admin reset mails the teammate a single-use link): after an administrator resets a
// teammate's 2FA, the teammate receives a single-use link to set up a new authenticator. The link carries 32 random
// bytes (base64url); only their sha256 is stored. It expires after 24 hours and is consumed by a conditional update
// that must change exactly one row.

export const REENROLLMENT_TTL_MS = 24 * 3600_000;

/**
 * Creates a link for `userId` in the caller's transaction, replacing any earlier unused link of that user. Returns the
 * raw token: it belongs in the mail to the user and nowhere else (never in a response, log or audit row).
 */
export async function createReEnrollmentToken(
  tx: Tx,
  input: { userId: string; organizationId: string; createdById: string },
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  await tx.reEnrollmentToken.deleteMany({ where: { userId: input.userId, usedAt: null } });
  const token = randomToken(32);
  const expiresAt = new Date(now.getTime() + REENROLLMENT_TTL_MS);
  await tx.reEnrollmentToken.create({
    data: { ...input, tokenHash: hashToken(token), expiresAt, createdAt: now },
  });
  return { token, expiresAt };
}

/**
 * Redeems a link with the account's current password (shared sign-in throttle): throws REENROLLMENT_INVALID (unknown),
 * REENROLLMENT_EXPIRED, REENROLLMENT_USED, or INVALID_PASSWORD / RATE_LIMITED (the link is then not consumed).
 * Consumes it exactly once, even under concurrent submits, and returns whose link it was.
 */
export async function redeemReEnrollmentToken(
  {
    input,
    context = { ip: null, userAgent: null },
  }: { input: { token: string; password: string }; context?: RequestContext },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<{ userId: string }> {
  const row = await usableLink(tx, input.token, now);
  await requirePassword(row.userId, input.password, context, now);
  const { userId } = await consumeLink(tx, row.id, now);
  return { userId };
}

/** The unused, unexpired link behind `token` (read only: nothing is consumed), or the DomainError saying why not. */
async function usableLink(tx: Tx, token: string, now: Date) {
  const row =
    typeof token === "string" && token.length > 0 && token.length <= 200
      ? await tx.reEnrollmentToken.findUnique({ where: { tokenHash: hashToken(token) } })
      : null;
  if (!row) throw new DomainError("REENROLLMENT_INVALID");
  if (row.usedAt) throw new DomainError("REENROLLMENT_USED");
  if (row.expiresAt <= now) throw new DomainError("REENROLLMENT_EXPIRED");
  return row;
}

/** Consumes the link exactly once (a conditional update that must change one row), in the caller's transaction. */
async function consumeLink(tx: Tx, id: string, now: Date) {
  const { count } = await tx.reEnrollmentToken.updateMany({
    where: { id, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (count !== 1) throw new DomainError("REENROLLMENT_USED");
  return tx.reEnrollmentToken.findUniqueOrThrow({
    where: { id },
    select: { userId: true, organizationId: true, createdById: true },
  });
}

/** What the re-enrollment page shows before asking for the password; throws like redeemReEnrollmentToken. */
export async function describeReEnrollmentToken(
  { input }: { input: { token: string } },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<{ email: string; organizationName: string; expiresAt: Date }> {
  const { token } = input;
  const row =
    typeof token === "string" && token.length > 0 && token.length <= 200
      ? await tx.reEnrollmentToken.findUnique({
          where: { tokenHash: hashToken(token) },
          include: { user: { select: { email: true } }, organization: { select: { name: true } } },
        })
      : null;
  if (!row) throw new DomainError("REENROLLMENT_INVALID");
  if (row.usedAt) throw new DomainError("REENROLLMENT_USED");
  if (row.expiresAt <= now) throw new DomainError("REENROLLMENT_EXPIRED");
  return { email: row.user.email, organizationName: row.organization.name, expiresAt: row.expiresAt };
}

/**
 * The teammate's side of a reset: redeems the link with their password and starts an ordinary pending sign-in for
 * them (the same challenge the password step creates, S16: after the password nothing but a pending challenge), which
 * the browser completes through next-auth. Their factor was removed, so the challenge normally needs nothing more
 * ("none"); if they set up 2FA again meanwhile it asks for a code like any sign-in. Returns the raw challenge token for
 * the HttpOnly cookie.
 */
export async function signInWithReEnrollmentToken(
  { input, context }: { input: { token: string; password: string }; context: RequestContext },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<{ challengeToken: string; requirement: ChallengeRequirement }> {
  // The password is checked (and a wrong one counted) first, on its own; then the link is used, the use audited and
  // the sign-in started in ONE transaction (S37: a security change and its audit row commit together): a failure in any
  // of them leaves the link usable.
  const row = await usableLink(tx, input.token, now);
  await requirePassword(row.userId, input.password, context, now);
  const challenge = await inTransaction(tx, async (t) => {
    const link = await consumeLink(t, row.id, now);
    await recordAuditEvent(t, {
      type: "2fa.reset_link_used",
      organizationId: link.organizationId,
      actorId: link.userId,
      targetId: link.userId,
      context,
      metadata: { resetById: link.createdById },
    });
    return createChallenge(t, link.userId, context, now, "reenrollment-link");
  });
  return { challengeToken: challenge.token, requirement: challenge.requirement };
}
