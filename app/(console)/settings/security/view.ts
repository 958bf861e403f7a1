// What Settings > Organization security hands from the server page to its client components: plain, serializable
// values (dates as ISO strings plus their already formatted text, so server and browser render the same words).

import { countOf, formatCount } from "@/lib/format/count";

export type EnforcementModeValue = "NOW" | "NEXT_SIGN_IN" | "GRACE";
export type MethodValue = "TOTP" | "SMS";

export interface PolicyView {
  organizationName: string;
  plan: "FREE" | "PROFESSIONAL" | "ENTERPRISE";
  requireTwoFactor: boolean;
  mode: EnforcementModeValue | null;
  graceDays: number | null;
  /** ISO 8601 */
  graceDeadline: string | null;
  graceDeadlineText: string | null;
  /** Whole days left until the deadline (0 once it passed). */
  daysLeft: number | null;
  requiredSinceText: string | null;
  /** ISO 8601: when the current mode was chosen (a grace period counts from it). */
  modeSince: string | null;
  modeSinceText: string | null;
  exemptSso: boolean;
  allowedMethods: MethodValue[];
  /** The version the page was rendered with: every save sends it back (a stale form is refused). */
  policyVersion: number;
  /** "6 Jul 2026, 14:02 UTC by you", or null when it was never changed. */
  lastChangeText: string | null;
}

export interface ImpactMemberView {
  membershipId: string;
  name: string;
  email: string;
  role: string;
  type: string;
  lastSignIn: string;
}

export interface ImpactView {
  totalMembers: number;
  membersWithout2fa: number;
  /** The first 50 of them, by name. */
  list: ImpactMemberView[];
  ssoUsers: number;
  /** Members (not exempt) whose only factor is this method: forbidding it leaves them to add another. */
  onlyFactor: Record<MethodValue, number>;
}

export interface ActorView {
  hasTwoFactor: boolean;
  recoveryCodesLeft: number;
  onlyAdminWithTwoFactor: boolean;
}

export interface SaveResult {
  policyVersion: number;
  sessionsRevoked: number;
  mailsQueued: number;
  membersWithout2fa: number;
}

export const MODE_LABELS: Record<EnforcementModeValue, string> = {
  NOW: "Sign out members without 2FA now",
  NEXT_SIGN_IN: "At their next sign-in",
  GRACE: "Grace period",
};

/** "1 session", "2 sessions". */
export const plural = (n: number, word: string) => countOf(n, word);

/** "2 of 3 members have not set up 2FA" (the wording of SPEC §4), or that everyone has. */
export function impactSentence(without: number, total: number): string {
  if (without === 0)
    return total === 1 ? "The only member has set up 2FA" : `All ${plural(total, "member")} have set up 2FA`;
  return `${formatCount(without)} of ${plural(total, "member")} ${without === 1 ? "has" : "have"} not set up 2FA`;
}
