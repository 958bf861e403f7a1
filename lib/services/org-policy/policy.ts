import type { Actor } from "../../auth/actor";
import type { EnforcementMode, SecondFactorMethod } from "../../db";
import { db, Prisma, type Tx } from "../../db";
import { hasAllowedFactor, hasAppSql, hasSmsSql, userWithFactor } from "../two-factor/factors";

// The organization's two-factor requirement (issue 4), read side: the policy row and who complies with it. A member
// complies when they have a factor the organization allows, or is exempt: signed in through the organization's SSO
// (while that exemption is on) or exempted by an administrator until a date. The gate every guard consults is gate.ts;
// the write side is change.ts; reminders and deadlines are clock.ts.

export const GRACE_MIN_DAYS = 1;
export const GRACE_MAX_DAYS = 30;
/** Second factors that exist in this build: the authenticator app and, since issue 12, SMS. */
export const AVAILABLE_METHODS: readonly SecondFactorMethod[] = ["TOTP", "SMS"];

export interface PolicyState {
  requireTwoFactor: boolean;
  enforcementMode: EnforcementMode | null;
  requiredSince: Date | null;
  modeSince: Date | null;
  graceDays: number | null;
  graceDeadline: Date | null;
  exemptSso: boolean;
  allowedMethods: SecondFactorMethod[];
  policyVersion: number;
}

export const policySelect = {
  id: true,
  name: true,
  plan: true,
  requireTwoFactor: true,
  enforcementMode: true,
  requiredSince: true,
  modeSince: true,
  graceDays: true,
  graceDeadline: true,
  graceReminder7At: true,
  graceReminder1At: true,
  graceExpiredAt: true,
  exemptSso: true,
  allowedMethods: true,
  policyVersion: true,
  policyUpdatedAt: true,
  policyUpdatedById: true,
  alertAdminsOnRecoveryCode: true,
} as const satisfies Prisma.OrganizationSelect;

export type PolicyRow = Prisma.OrganizationGetPayload<{ select: typeof policySelect }>;

export function loadPolicy(tx: Tx, organizationId: string): Promise<PolicyRow> {
  return tx.organization.findUniqueOrThrow({ where: { id: organizationId }, select: policySelect });
}

/** Memberships of `organizationId` that do NOT comply with its policy at `now` (whether or not it is required). */
export function nonCompliantMembers(
  org: { id: string; exemptSso: boolean; allowedMethods: readonly SecondFactorMethod[] },
  now: Date,
): Prisma.MembershipWhereInput {
  const user: Prisma.UserWhereInput = {};
  if (org.exemptSso) user.signInMethod = { not: "SSO" };
  // No factor the organization allows: a member whose only factor is a forbidden one (e.g. SMS) does not comply.
  if (org.allowedMethods.includes("TOTP")) user.totpFactor = { is: null };
  if (org.allowedMethods.includes("SMS")) user.phoneFactor = { is: null };
  return {
    organizationId: org.id,
    status: "ACTIVE",
    OR: [{ twoFactorExemptUntil: null }, { twoFactorExemptUntil: { lte: now } }],
    user,
  };
}

/**
 * The same rule as SQL over `"Membership" m` joined with `"User" u`: true for a membership that does NOT comply at
 * `now` (status and organization are the caller's WHERE). For statements built by the database, e.g. the
 * announcement's INSERT … SELECT; the compliance rule's test checks it agrees with nonCompliantMembers and complies().
 */
export function nonCompliantSql(
  org: { exemptSso: boolean; allowedMethods: readonly SecondFactorMethod[] },
  now: Date,
): Prisma.Sql {
  const parts = [
    Prisma.sql`NOT (m."twoFactorExemptUntil" IS NOT NULL AND m."twoFactorExemptUntil" > ${now}::timestamp)`,
  ];
  if (org.exemptSso) parts.push(Prisma.sql`u."signInMethod" <> 'SSO'`);
  if (org.allowedMethods.includes("TOTP")) parts.push(Prisma.sql`NOT ${hasAppSql(Prisma.sql`m."userId"`)}`);
  if (org.allowedMethods.includes("SMS")) parts.push(Prisma.sql`NOT ${hasSmsSql(Prisma.sql`m."userId"`)}`);
  return Prisma.sql`(${Prisma.join(parts, " AND ")})`;
}

/** The same rule for one member already loaded. */
export function complies(
  org: { exemptSso: boolean; allowedMethods: readonly SecondFactorMethod[] },
  member: { twoFactorExemptUntil: Date | null; signInMethod: string; hasTotp: boolean; hasSms?: boolean },
  now: Date,
): boolean {
  if (member.twoFactorExemptUntil && member.twoFactorExemptUntil > now) return true;
  if (org.exemptSso && member.signInMethod === "SSO") return true;
  return hasAllowedFactor({ app: member.hasTotp, sms: member.hasSms ?? false }, org.allowedMethods);
}

/** The organizations of a user that require 2FA right now (for "who can help" messages). */
export async function requiringOrganizations(
  { actor }: { actor: Pick<Actor, "userId"> },
  { tx = db }: { tx?: Tx } = {},
) {
  return tx.organization.findMany({
    where: { requireTwoFactor: true, memberships: { some: { userId: actor.userId, status: "ACTIVE" } } },
    select: {
      id: true,
      name: true,
      memberships: {
        where: { status: "ACTIVE", role: { in: ["OWNER", "ADMIN"] } },
        select: { role: true, user: { select: { name: true, email: true } } },
        orderBy: { role: "asc" },
        take: 3,
      },
    },
  });
}

/** Owners and administrators of the organization, other than `userId`, who have an authenticator: the people who could
 *  reset `userId`'s 2FA if they lost it (the lockout guardrail, B6). */
export function otherAdminsWithTwoFactor(tx: Tx, organizationId: string, userId: string): Promise<number> {
  return tx.membership.count({
    where: {
      organizationId,
      status: "ACTIVE",
      role: { in: ["OWNER", "ADMIN"] },
      userId: { not: userId },
      user: userWithFactor,
    },
  });
}
