import { hashToken } from "../../crypto/tokens";
import { db, inTransaction, type Tx } from "../../db";
import { DomainError } from "../../errors";
import type { RequestContext } from "../audit/audit-log";
import { passwordKeys } from "../rate-limit/password-limits";
import { succeed, succeedPrefix } from "../rate-limit/reset";
import { hashNewPassword, installNewPassword } from "./new-password";

// Setting a new password with an emailed link (issue 10 item 2; S18: a password reset never signs the user in past
// 2FA and never turns 2FA off). The link is consumed by a conditional update that must change exactly one row, in the
// transaction that installs the password and signs out EVERY session of the user. No session and no pending sign-in
// is created: the person signs in afterwards like anyone else, and with 2FA on is asked for a code.

async function usableLink(tx: Tx, token: string, now: Date) {
  const row =
    typeof token === "string" && token.length > 0 && token.length <= 200
      ? await tx.passwordResetToken.findUnique({
          where: { tokenHash: hashToken(token) },
          include: { user: { select: { id: true, name: true, email: true, signInMethod: true } } },
        })
      : null;
  if (row?.user.signInMethod !== "PASSWORD") throw new DomainError("PASSWORD_RESET_INVALID");
  if (row.usedAt) throw new DomainError("PASSWORD_RESET_USED");
  if (row.expiresAt <= now) throw new DomainError("PASSWORD_RESET_EXPIRED");
  return row;
}

/** What the reset page shows before asking for the new password; throws like resetPassword. */
export async function describePasswordResetToken(
  { input }: { input: { token: string } },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<{ email: string; name: string; expiresAt: Date }> {
  const row = await usableLink(tx, input.token, now);
  return { email: row.user.email, name: row.user.name, expiresAt: row.expiresAt };
}

/**
 * Sets the new password (sign-up rules, not the person's email or name) and uses the link exactly once, even under
 * concurrent submits. Throws PASSWORD_RESET_INVALID / _EXPIRED / _USED, or VALIDATION for the password. Signs out every
 * session, ends pending sign-ins, voids the user's other links, clears the password lockout of the account (the mailbox
 * is proven), audits and mails. Second factors are not touched.
 */
export async function resetPassword(
  { input, context }: { input: { token: string; password: string }; context: RequestContext },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<{ email: string; sessionsRevoked: number }> {
  const row = await usableLink(tx, input.token, now);
  const passwordHash = await hashNewPassword(input.password, row.user, "password");
  return inTransaction(tx, async (t) => {
    const { count } = await t.passwordResetToken.updateMany({
      where: { id: row.id, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (count !== 1) throw new DomainError("PASSWORD_RESET_USED");
    const sessionsRevoked = await installNewPassword(
      t,
      { userId: row.userId, passwordHash, keepSessionId: null, how: "reset", person: row.user },
      context,
      now,
    );
    await succeed(t, passwordKeys.account(row.user.email), now);
    await succeedPrefix(t, passwordKeys.accountNetworks(row.user.email), now);
    return { email: row.user.email, sessionsRevoked };
  });
}
