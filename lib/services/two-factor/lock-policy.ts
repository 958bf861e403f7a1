import type { LimitPolicy } from "../rate-limit/limiter";

/** S9–S10 (one second-factor failure counter per user, locks that grow): one counter per user for every code kind,
 *  shared by all sessions and processes; only a success resets it (the window never expires by itself). 10 failures →
 *  15 min lock, doubling; at 100 consecutive failures the account stays locked until an administrator resets or
 *  unlocks it. Attempts are reserved before the check (S36: parallel attempts cannot overrun the limit). */
export const HARD_LOCK_FAILURES = 100;
export const secondFactorPolicy: LimitPolicy = {
  limit: 10,
  windowMs: 100 * 365 * 24 * 3600_000,
  lockMs: 15 * 60_000,
  growth: 2,
  maxLockMs: 24 * 3600_000,
  hardLockAfter: HARD_LOCK_FAILURES,
};
/** S33 (security events are mailed to the person): after a correct password, this many wrong codes in a row emails
 *  the user. */
export const FAILURE_ALERT_AT = 3;

export const secondFactorKey = (userId: string) => `2fa:user:${userId}`;
/** Issue 10 item 5: from this many consecutive failures on, the person is told how many attempts are left before the
 *  lock (the limiter's real state: `attemptsLeft` of a failure, `peek` of a page). */
export const ATTEMPTS_LEFT_FROM = 3;
