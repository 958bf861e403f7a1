import { verifyPassword } from "../../crypto/password";
import { db, type Tx } from "../../db";
import { attemptsLeftText, DomainError, rateLimitDetail } from "../../errors";
import { type RequestContext, recordAuditEvent } from "../audit/audit-log";
import { enqueueMail, securityNoticeData } from "../outbox/outbox";
import { fail, type Reservation, release, reserveAll } from "../rate-limit/limiter";
import { passwordAttemptKeys } from "../rate-limit/password-limits";
import { succeed } from "../rate-limit/reset";
import { ATTEMPTS_LEFT_FROM } from "../two-factor/lock-policy";

// The one throttled password check (S36: limits hold under concurrency; issue 9 items 2, 3 and 11), used by the sign-in password step, invitation
// acceptance for an existing account and every in-session password re-check. Each attempt first reserves a slot per
// network, per (account, network) and per account — keys derived from the submitted email, so an unknown email is
// limited, answered and timed like a real one (its password is checked against a dummy argon2 hash) — and is refused
// before any hash is checked when one of them is locked or full. A wrong password counts on all three; a right one
// clears the account's two and gives the network's slot back.

export type PasswordPurpose = "sign-in" | "invitation" | "re-check";

export interface PasswordAccount {
  id: string;
  name: string;
  email: string;
  /** null for accounts without a password (SSO): checked against the dummy hash, never accepted. */
  passwordHash: string | null;
}

const LOCK_MAIL_EVERY_MS = 60 * 60_000;

async function organizationsOf(tx: Tx, userId: string): Promise<(string | null)[]> {
  const rows = await tx.membership.findMany({ where: { userId, status: "ACTIVE" }, select: { organizationId: true } });
  return rows.length ? rows.map((r) => r.organizationId) : [null];
}

/**
 * Checks `password` for the account of `email` (`account` null when no such account exists). On success runs
 * `onSuccess` in the transaction that clears the account's counters; on failure throws `wrong()` or RATE_LIMITED.
 */
export async function checkPasswordThrottled<T>(
  input: { email: string; password: string; account: PasswordAccount | null; purpose: PasswordPurpose },
  context: RequestContext,
  now: Date,
  wrong: () => DomainError,
  onSuccess: (tx: Tx) => Promise<T>,
): Promise<T> {
  const { email, account, purpose } = input;
  const held = await reserveAll(db, passwordAttemptKeys(email, context.ip), now);
  if (!held.ok)
    throw new DomainError("RATE_LIMITED", { detail: rateLimitDetail(held.lockedUntil, context.timeZone, now) });
  const [ipHold, networkHold, accountHold] = held.reservations as [Reservation, Reservation, Reservation];

  let ok: boolean;
  try {
    ok = await verifyPassword(account?.passwordHash ?? null, input.password);
  } catch (e) {
    for (const r of held.reservations) await release(db, r);
    throw e;
  }

  if (ok && account) {
    try {
      return await db.$transaction(async (tx) => {
        await succeed(tx, networkHold.key, now);
        await succeed(tx, accountHold.key, now);
        await release(tx, ipHold);
        return onSuccess(tx);
      });
    } catch (e) {
      for (const r of held.reservations) await release(db, r);
      throw e;
    }
  }

  const locked = await db.$transaction(async (tx) => {
    const ipState = await fail(tx, ipHold, now);
    const networkState = await fail(tx, networkHold, now);
    const accountState = await fail(tx, accountHold, now);
    // The same queries for an unknown email (a lookup that finds nothing): no enumeration by timing.
    const orgs = await organizationsOf(tx, account?.id ?? "");
    for (const organizationId of orgs) {
      await recordAuditEvent(tx, {
        type: "signin.failed",
        organizationId,
        targetId: account?.id ?? null,
        context,
        metadata: { reason: account ? "wrong-password" : "unknown-email", purpose },
      });
    }
    const accountLock = accountState.lockedNow ? accountState : networkState.lockedNow ? networkState : null;
    if (account && accountLock?.lockedUntil) {
      const scope = accountState.lockedNow ? "account" : "network";
      for (const organizationId of orgs) {
        await recordAuditEvent(tx, {
          type: "signin.locked",
          organizationId,
          targetId: account.id,
          context,
          metadata: { until: accountLock.lockedUntil.toISOString(), factor: "password", scope },
        });
      }
      // The user hears about it, at most once an hour (an attacker with many networks must not flood the inbox).
      const recent = await tx.outboxMessage.count({
        where: {
          to: account.email,
          template: "account-locked",
          createdAt: { gt: new Date(now.getTime() - LOCK_MAIL_EVERY_MS) },
        },
      });
      if (recent === 0) {
        await enqueueMail(tx, {
          to: account.email,
          template: "account-locked",
          data: {
            ...securityNoticeData(account.name, context, now),
            factor: "password",
            scope,
            until: accountLock.lockedUntil.toISOString(),
          },
        });
      }
    }
    const states = [ipState, networkState, accountState];
    const until = states
      .map((s) => s.lockedUntil)
      .filter((d): d is Date => d !== null)
      .sort((a, b) => b.getTime() - a.getTime())[0];
    // "N attempts left" (issue 10 item 5) from this account's third failure on this network: the real state of the
    // nearest lock. The keys come from the submitted email, so an unknown email reads exactly the same.
    const attemptsLeft =
      networkState.failures >= ATTEMPTS_LEFT_FROM ? Math.min(...states.map((s) => s.attemptsLeft)) : null;
    return { until: until ?? null, attemptsLeft };
  });
  if (locked.until)
    throw new DomainError("RATE_LIMITED", { detail: rateLimitDetail(locked.until, context.timeZone, now) });
  const refusal = wrong();
  if (locked.attemptsLeft === null) throw refusal;
  const left = attemptsLeftText(locked.attemptsLeft, "password");
  // Forms show a field's message where there is one, else the message: the figure goes where it is read.
  const fields =
    refusal.fields && Object.fromEntries(Object.entries(refusal.fields).map(([k, v]) => [k, `${v} ${left}`]));
  throw new DomainError(refusal.code, fields ? { fields, detail: left } : { detail: left });
}
