import { createHash } from "node:crypto";
import type { LimitPolicy } from "./limiter";

/** Keys of one account, derived from the submitted (normalised) email so that an unknown email is limited exactly
 *  like a real one (no enumeration through the lock) and the same for every way a password is checked. */
export function accountHandle(email: string): string {
  return createHash("sha256").update(email.trim().toLowerCase()).digest("base64url").slice(0, 32);
}
export const passwordKeys = {
  account: (email: string) => `pw:acct:${accountHandle(email)}`,
  /** Prefix of every per-network key of an account (for the admin unlock and the lock status). */
  accountNetworks: (email: string) => `pw:acctip:${accountHandle(email)}:`,
  accountNetwork: (email: string, ip: string | null) => `pw:acctip:${accountHandle(email)}:${ip ?? "unknown"}`,
  ip: (ip: string | null) => `pw:ip:${ip ?? "unknown"}`,
};

/**
 * Password limits (issue 9 item 3): an attacker without the password can delay but not deny sign-in.
 *  - per (account, network): 10 failures → 15 min, doubling up to 1 h: the real limit for one attacker;
 *  - per account, every network together: a higher ceiling that only slows (30 failures → 5 min, up to 15 min);
 *  - per network, every account together: 50 failures → 15 min (password spraying).
 */
export const passwordPolicies = {
  accountNetwork: { limit: 10, windowMs: 15 * 60_000, lockMs: 15 * 60_000, growth: 2, maxLockMs: 60 * 60_000 },
  account: { limit: 30, windowMs: 15 * 60_000, lockMs: 5 * 60_000, growth: 2, maxLockMs: 15 * 60_000 },
  ip: { limit: 50, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
} satisfies Record<string, LimitPolicy>;

/** The three reservations of one password attempt, in the order they are taken. */
export function passwordAttemptKeys(email: string, ip: string | null) {
  return [
    { key: passwordKeys.ip(ip), policy: passwordPolicies.ip },
    { key: passwordKeys.accountNetwork(email, ip), policy: passwordPolicies.accountNetwork },
    { key: passwordKeys.account(email), policy: passwordPolicies.account },
  ];
}
