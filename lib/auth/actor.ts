import type { Role } from "../db";

// Who is acting: the ONE shape every use case takes, produced by the guards (lib/auth/guards.ts) and handed by
// defineAction to the handler. No page or action builds one by hand.

export interface Actor {
  userId: string;
  /** The session the request came with (step-up is checked on it). Null only outside a request: the seed, scripts
   *  and benchmarks acting as a person. Anything that needs a session refuses null with SESSION_EXPIRED. */
  sessionId: string | null;
  /** The organization the request acts in. Null for personal actions (own profile, own 2FA), which act on the
   *  account and not in one organization; organization use cases narrow it with `organizationOf` (authz). */
  organizationId: string | null;
}

/** Owners and administrators: who may administer an organization. */
export const ADMINS = ["OWNER", "ADMIN"] as const satisfies readonly Role[];
