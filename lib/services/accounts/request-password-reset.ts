import { hashToken, randomToken } from "../../crypto/tokens";
import type { Tx } from "../../db";
import { db, inTransaction } from "../../db";
import { DomainError, passwordResetRateLimitDetail } from "../../errors";
import { passwordResetUrl } from "../../urls";
import { type RequestContext, recordAuditEvent } from "../audit/audit-log";
import { enqueueMail } from "../outbox/outbox";
import { fail, reserve } from "../rate-limit/limiter";
import { passwordResetKeys, passwordResetPolicies } from "../rate-limit/password-reset-limits";
import { organizationIdsOf } from "../sign-in/challenge";

// "Forgot password?" (issue 10 item 2, SPEC §2 "Password"): mails a single-use link to set a new password. The answer
// is the same whether or not the account exists, signs in with SSO or asked too often: only a refusal per network
// (which says nothing about any account) is told, with when to try again. The link carries 32 random bytes (256 bits);
// only their sha256 is stored; it works for 30 minutes, once (reset-password.ts). The link in the queued mail is
// sealed (S41, lib/mail/sealed-payload.ts).

export const PASSWORD_RESET_TTL_MS = 30 * 60_000;

/** The one answer every request gets (unless its network is refused). */
export interface PasswordResetRequested {
  expiresInMinutes: number;
}

export async function requestPasswordReset(
  { input, context }: { input: { email: string }; context: RequestContext },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<PasswordResetRequested> {
  const email = input.email.trim().toLowerCase();
  // The same work for every request: a token is made and hashed whether or not it is ever stored or sent.
  const token = randomToken(32);
  const tokenHash = hashToken(token);
  const expiresAt = new Date(now.getTime() + PASSWORD_RESET_TTL_MS);
  const answer = { expiresInMinutes: PASSWORD_RESET_TTL_MS / 60_000 };

  return inTransaction(tx, async (t) => {
    // Every request counts on its network and on the account of the email typed (known or not).
    const network = await reserve(t, passwordResetKeys.ip(context.ip), passwordResetPolicies.ip, now);
    if (!network.ok)
      throw new DomainError("PASSWORD_RESET_RATE_LIMITED", {
        detail: passwordResetRateLimitDetail(network.lockedUntil, context.timeZone, now),
      });
    await fail(t, network.reservation, now);
    const account = await reserve(t, passwordResetKeys.account(email), passwordResetPolicies.account, now);
    if (account.ok) await fail(t, account.reservation, now);

    const user = await t.user.findUnique({
      where: { email },
      select: { id: true, name: true, email: true, signInMethod: true, passwordHash: true },
    });
    if (!account.ok) return answer; // asked too often for this address: nothing is sent, the same answer
    if (!user) {
      await recordAuditEvent(t, { type: "password.reset_requested", context, metadata: { reason: "unknown-email" } });
      return answer;
    }
    const organizations = await organizationIdsOf(t, user.id);
    // SSO accounts have no Twofold password: a reset link would add a way in that skips the identity provider.
    const eligible = user.signInMethod === "PASSWORD" && user.passwordHash !== null;
    for (const organizationId of organizations.length ? organizations : [null]) {
      await recordAuditEvent(t, {
        type: "password.reset_requested",
        organizationId,
        targetId: user.id,
        context,
        metadata: { reason: eligible ? "sent" : "sso" },
      });
    }
    if (!eligible) return answer;
    await t.passwordResetToken.create({
      data: { userId: user.id, tokenHash, expiresAt, createdAt: now, ip: context.ip?.slice(0, 64) ?? null },
    });
    await enqueueMail(t, {
      to: user.email,
      template: "password-reset",
      data: {
        name: user.name,
        resetUrl: passwordResetUrl(token),
        expiresAt: expiresAt.toISOString(),
        ip: context.ip ?? undefined,
        at: now.toISOString(),
      },
    });
    return answer;
  });
}
