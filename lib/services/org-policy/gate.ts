import type { EnforcementMode, Prisma, SecondFactorMethod } from "../../db";
import { db, type Tx } from "../../db";

// The organization's two-factor requirement (issue 4), read side: the policy, who complies with it, and the gate
// (S24) every guard consults. A member complies when they have a factor the organization allows, or are exempt:
// signed in through the organization's SSO (while that exemption is on) or exempted by an administrator until a date.
// The write side is org-policy-change.ts; reminders and deadlines are org-policy-clock.ts.

export const GRACE_MIN_DAYS = 1;
export const GRACE_MAX_DAYS = 30;
/** Second factors that exist in this build. SMS arrives with the SMS issue; until then it cannot be allowed. */
export const AVAILABLE_METHODS: readonly SecondFactorMethod[] = ["TOTP"];

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
  if (org.allowedMethods.includes("TOTP")) user.totpFactor = { is: null };
  return {
    organizationId: org.id,
    status: "ACTIVE",
    OR: [{ twoFactorExemptUntil: null }, { twoFactorExemptUntil: { lte: now } }],
    user,
  };
}

/** The same rule for one member already loaded. */
export function complies(
  org: { exemptSso: boolean; allowedMethods: readonly SecondFactorMethod[] },
  member: { twoFactorExemptUntil: Date | null; signInMethod: string; hasTotp: boolean },
  now: Date,
): boolean {
  if (member.twoFactorExemptUntil && member.twoFactorExemptUntil > now) return true;
  if (org.exemptSso && member.signInMethod === "SSO") return true;
  return org.allowedMethods.includes("TOTP") && member.hasTotp;
}

/**
 * What the requirement means for one signed-in session:
 * - clear: nothing to do;
 * - notice: an organization requires 2FA but this session may continue (grace period, or "at next sign-in" for a
 *   session that started before the rule): a banner on every page, with the deadline when there is one;
 * - setup-required: only the 2FA setup flow and sign-out are reachable (S24).
 */
export type GateState =
  | { kind: "clear" }
  | { kind: "notice"; organizationName: string; mode: EnforcementMode; deadline: Date | null }
  | { kind: "setup-required"; organizationNames: string[] };

/** What the gate needs to know about a session: when it started, and whether setup was required when it did. */
export interface SessionForGate {
  createdAt: Date;
  /** Decided at creation (sessionGateAtStart): an organization required setup then. Survives a later loosening to
   *  "at next sign-in", which only spares sessions that started without the requirement. */
  setupRequiredAtStart?: boolean;
}

export function gateForMemberships(
  memberships: Array<{
    organizationName: string;
    policy: Pick<PolicyState, "enforcementMode" | "modeSince" | "graceDeadline" | "exemptSso" | "allowedMethods">;
    compliant: boolean;
  }>,
  session: SessionForGate,
  now: Date,
): GateState {
  const required: string[] = [];
  let notice: Extract<GateState, { kind: "notice" }> | null = null;
  for (const m of memberships) {
    if (m.compliant) continue;
    const { enforcementMode: mode, modeSince, graceDeadline } = m.policy;
    const blocked =
      mode === "NOW" ||
      (mode === "NEXT_SIGN_IN" && (session.setupRequiredAtStart || !modeSince || session.createdAt >= modeSince)) ||
      (mode === "GRACE" && (!graceDeadline || now >= graceDeadline));
    if (blocked) required.push(m.organizationName);
    else if (mode && (!notice || (graceDeadline && (!notice.deadline || graceDeadline < notice.deadline)))) {
      notice = { kind: "notice", organizationName: m.organizationName, mode, deadline: graceDeadline };
    }
  }
  if (required.length > 0) return { kind: "setup-required", organizationNames: required };
  return notice ?? { kind: "clear" };
}

/** The gate for a user's session, across every organization that requires 2FA (S24). One query. */
export async function twoFactorGate(userId: string, session: SessionForGate, now = new Date(), tx: Tx = db) {
  const user = await tx.user.findUnique({
    where: { id: userId },
    select: {
      signInMethod: true,
      totpFactor: { select: { userId: true } },
      memberships: {
        where: { status: "ACTIVE", organization: { requireTwoFactor: true } },
        select: { twoFactorExemptUntil: true, organization: { select: policySelect } },
      },
    },
  });
  if (!user || user.memberships.length === 0) return { kind: "clear" } as GateState;
  const hasTotp = Boolean(user.totpFactor);
  return gateForMemberships(
    user.memberships.map((m) => ({
      organizationName: m.organization.name,
      policy: m.organization,
      compliant: complies(
        m.organization,
        { twoFactorExemptUntil: m.twoFactorExemptUntil, signInMethod: user.signInMethod, hasTotp },
        now,
      ),
    })),
    session,
    now,
  );
}

/** A session created now starts after every rule this transaction can see (even one saved a moment after the
 *  caller read the clock). */
const STARTING_NOW = new Date(8.64e15);

/**
 * Decides, in the transaction that creates a session, whether the session starts gated (S24, issue 9 item 10): from
 * the policy at that moment, not from the policy when the pending sign-in began. The organizations' rows are read
 * FOR SHARE, so a concurrent policy change either commits first (and is seen here) or waits for this session to
 * commit (and then signs it out under "sign out now").
 */
export async function sessionGateAtStart(tx: Tx, userId: string, now: Date): Promise<boolean> {
  await tx.$queryRaw`
    SELECT o.id FROM "Organization" o
    WHERE o.id IN (SELECT m."organizationId" FROM "Membership" m WHERE m."userId" = ${userId} AND m.status = 'ACTIVE')
    ORDER BY o.id FOR SHARE`;
  const gate = await twoFactorGate(userId, { createdAt: STARTING_NOW }, now, tx);
  return gate.kind === "setup-required";
}

/** Whether a user's enrollment is forced: they have no compliant factor and an organization of theirs requires one
 *  (now, at next sign-in, or by a deadline). Forced enrollment also needs a code sent to their email (issue 4 §5). */
export async function enrollmentIsForced(userId: string, now = new Date(), tx: Tx = db): Promise<boolean> {
  return (await twoFactorGate(userId, { createdAt: now }, now, tx)).kind !== "clear";
}

/** The organizations of a user that require 2FA right now (for "who can help" messages). */
export async function requiringOrganizations(userId: string, tx: Tx = db) {
  return tx.organization.findMany({
    where: { requireTwoFactor: true, memberships: { some: { userId, status: "ACTIVE" } } },
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
      user: { totpFactor: { isNot: null } },
    },
  });
}
