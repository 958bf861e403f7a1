import type { LimitPolicy } from "./limiter";
import { accountHandle } from "./password-limits";

// "Forgot password?" requests (issue 10 item 2): every request counts (there is no success to forget them), and the
// request that fills a cycle locks the key for `lockMs`, so a refusal can say when to ask again.
//  - per account (keyed by the submitted email, so an unknown email is limited like a real one): 5 an hour — a
//    person's inbox is not flooded, and the refusal looks exactly like a sent link (no enumeration);
//  - per network: 20 an hour, across every email (someone probing many addresses) — told plainly, with the time.

export const passwordResetKeys = {
  account: (email: string) => `pwreset:acct:${accountHandle(email)}`,
  ip: (ip: string | null) => `pwreset:ip:${ip ?? "unknown"}`,
};

export const passwordResetPolicies = {
  account: { limit: 5, windowMs: 60 * 60_000, lockMs: 60 * 60_000 },
  ip: { limit: 20, windowMs: 60 * 60_000, lockMs: 60 * 60_000 },
} satisfies Record<string, LimitPolicy>;
