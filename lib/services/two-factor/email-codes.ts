import { randomInt } from "node:crypto";
import type { Actor } from "../../auth/actor";
import { hashToken, safeEqual } from "../../crypto/tokens";
import { db, inTransaction, type Tx } from "../../db";
import { DomainError, fieldError } from "../../errors";
import type { RequestContext } from "../audit/audit-log";
import { enqueueMail } from "../outbox/outbox";
import { auditForUser } from "./audit-for-user";

// One-time codes sent to the user's email address (issue 4 §5). Forced two-factor enrollment needs one, so someone who
// only stole a password cannot bind their own authenticator to the account first. Six digits, valid 10 minutes,
// single use, 5 attempts, a new code at most once a minute; sending a new code voids the previous one. Only the hash
// is stored; the code itself exists only in the outbox mail.

export const EMAIL_CODE_TTL_MS = 10 * 60_000;
export const EMAIL_CODE_RESEND_MS = 60_000;
export const EMAIL_CODE_MAX_ATTEMPTS = 5;
export const ENROLLMENT_PURPOSE = "two-factor-enrolment";

const codeHash = (userId: string, code: string) => hashToken(`${userId}:${code}`);

/** Mails a new code (through the outbox, in one transaction with the code row and its audit row). */
export async function sendEnrollmentEmailCode(
  { actor, context }: { actor: Pick<Actor, "userId">; context: RequestContext },
  { tx: outer = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<{ sentTo: string; expiresAt: Date }> {
  const { userId } = actor;
  return inTransaction(outer, async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { name: true, email: true } });
    // Serialize senders per user: the row lock makes "at most one a minute" hold under concurrent clicks.
    await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${userId} FOR UPDATE`;
    const last = await tx.emailCode.findFirst({
      where: { userId, purpose: ENROLLMENT_PURPOSE },
      orderBy: { createdAt: "desc" },
      select: { createdAt: true },
    });
    if (last && now.getTime() - last.createdAt.getTime() < EMAIL_CODE_RESEND_MS)
      throw new DomainError("EMAIL_CODE_RATE_LIMITED");
    await tx.emailCode.updateMany({
      where: { userId, purpose: ENROLLMENT_PURPOSE, consumedAt: null },
      data: { consumedAt: now },
    });
    const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
    const expiresAt = new Date(now.getTime() + EMAIL_CODE_TTL_MS);
    await tx.emailCode.create({
      data: { userId, purpose: ENROLLMENT_PURPOSE, codeHash: codeHash(userId, code), createdAt: now, expiresAt },
    });
    await enqueueMail(tx, {
      to: user.email,
      template: "email-code",
      data: { name: user.name, code, minutes: EMAIL_CODE_TTL_MS / 60_000, ...(context.ip ? { ip: context.ip } : {}) },
    });
    await auditForUser(tx, userId, "2fa.email_code_sent", context, {});
    return { sentTo: user.email, expiresAt };
  });
}

/**
 * Checks a code without consuming it. Each check first reserves one of the code's 5 attempts in one conditional update
 * (S36: attempts are reserved before the check, so parallel guesses cannot all be checked), committed on its own so
 * that failures stick. Returns the code row's id, to be consumed with `consumeEmailCode` in the transaction that does
 * the change.
 */
export async function checkEmailCode(userId: string, raw: string, now = new Date()): Promise<string> {
  const code = raw.replace(/\s+/g, "");
  const invalid = () => fieldError("EMAIL_CODE_INVALID", { emailCode: "EMAIL_CODE_INVALID" });
  if (!/^\d{6}$/.test(code)) throw invalid();
  const row = await db.emailCode.findFirst({
    where: { userId, purpose: ENROLLMENT_PURPOSE, consumedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    select: { id: true, codeHash: true },
  });
  if (!row) throw invalid();
  const { count } = await db.emailCode.updateMany({
    where: { id: row.id, consumedAt: null, attempts: { lt: EMAIL_CODE_MAX_ATTEMPTS } },
    data: { attempts: { increment: 1 } },
  });
  if (count !== 1 || !safeEqual(row.codeHash, codeHash(userId, code))) throw invalid();
  return row.id;
}

/** Consumes a checked code exactly once, in the caller's transaction (its attempt was reserved by the check). */
export async function consumeEmailCode(tx: Tx, id: string, now: Date): Promise<void> {
  const { count } = await tx.emailCode.updateMany({
    where: { id, consumedAt: null, expiresAt: { gt: now }, attempts: { lte: EMAIL_CODE_MAX_ATTEMPTS } },
    data: { consumedAt: now },
  });
  if (count !== 1) throw new DomainError("EMAIL_CODE_INVALID");
}
