import { db, type Tx } from "../db";
import { DomainError } from "../errors";
import type { EnforcementMode, SecondFactorMethod } from "../generated/prisma/enums";
import type { OrgTwoFactorData } from "../mail/templates";
import { type RequestContext, recordAuditEvent } from "./audit-log";
import { type Actor, ADMINS, actorMembership, type SessionActor } from "./authz";
import {
  AVAILABLE_METHODS,
  DAY_MS,
  GRACE_MAX_DAYS,
  GRACE_MIN_DAYS,
  loadPolicy,
  nonCompliantMembers,
  otherAdminsWithTwoFactor,
  type PolicyRow,
} from "./org-policy";
import { enqueueMailBatch, type MailMessage } from "./outbox";
import { assertRecentStepUp } from "./step-up";
import { twoFactorSetupUrl } from "./two-factor-reminders";

// Changing the organization's two-factor requirement (issue 4). One transaction per change: the policy row (guarded
// by policyVersion, so a stale form or a concurrent toggle is refused instead of half-applied), the set-based session
// revocation, the announcement mails (one INSERT into the outbox for every member) and the audit rows.

export interface PolicyInput {
  requireTwoFactor: boolean;
  mode: EnforcementMode;
  /** Required for GRACE (1–30), ignored otherwise. */
  graceDays?: number | null;
  exemptSso: boolean;
  allowedMethods: SecondFactorMethod[];
  /** The policyVersion the form was rendered with. */
  expectedVersion: number;
  /** B6: the actor confirms that they are the only owner/administrator with 2FA (see lockoutRisk). */
  confirmSoleAdmin?: boolean;
}

export interface PolicyChangeResult {
  policyVersion: number;
  sessionsRevoked: number;
  mailsQueued: number;
  membersWithout2fa: number;
}

function validate(input: PolicyInput): { graceDays: number | null; allowedMethods: SecondFactorMethod[] } {
  const fields: Record<string, string> = {};
  let graceDays: number | null = null;
  if (input.mode === "GRACE") {
    const d = input.graceDays;
    if (typeof d !== "number" || !Number.isInteger(d) || d < GRACE_MIN_DAYS || d > GRACE_MAX_DAYS)
      fields.graceDays = `Choose a grace period of ${GRACE_MIN_DAYS} to ${GRACE_MAX_DAYS} days.`;
    else graceDays = d;
  }
  const allowedMethods = [...new Set(input.allowedMethods)];
  if (allowedMethods.length === 0) fields.allowedMethods = "Allow at least one method.";
  else if (allowedMethods.some((m) => !AVAILABLE_METHODS.includes(m)))
    fields.allowedMethods = "SMS is not available yet: allow the authenticator app.";
  if (Object.keys(fields).length > 0) throw new DomainError("VALIDATION", { fields });
  return { graceDays, allowedMethods };
}

/**
 * Revokes, in one UPDATE, every active session of the organization's members who do not comply at `now`. A session
 * belongs to the account, not to one organization: members who also belong to other organizations are signed out
 * there too, so each of those organizations gets a "session.revoked" audit row saying why (S40).
 */
export async function revokeNonCompliantSessions(
  tx: Tx,
  org: Pick<PolicyRow, "id" | "exemptSso" | "allowedMethods">,
  now: Date,
  reason: string,
): Promise<number> {
  const affected = nonCompliantMembers(org, now);
  const elsewhere = await tx.membership.findMany({
    where: {
      status: "ACTIVE",
      organizationId: { not: org.id },
      user: { memberships: { some: affected }, sessions: { some: { revokedAt: null, expiresAt: { gt: now } } } },
    },
    select: { organizationId: true, userId: true },
  });
  const { count } = await tx.session.updateMany({
    where: { revokedAt: null, user: { memberships: { some: affected } } },
    data: { revokedAt: now, revokedReason: reason },
  });
  for (const m of elsewhere)
    await recordAuditEvent(tx, {
      type: "session.revoked",
      organizationId: m.organizationId,
      // The other organization's admin is no one this organization knows: the row names only its own member.
      actorId: null,
      targetId: m.userId,
      metadata: { reason, byAnotherOrganization: true },
    });
  return count;
}

/** The mails of an announcement: one per active member, built from one query. */
async function announcement(
  tx: Tx,
  org: Pick<PolicyRow, "id" | "name" | "exemptSso" | "allowedMethods">,
  base: Omit<OrgTwoFactorData, "name" | "organizationName" | "kind">,
  pick: (compliant: boolean) => OrgTwoFactorData["kind"] | null,
  now: Date,
): Promise<{ messages: MailMessage[]; without: number }> {
  const [members, without] = await Promise.all([
    // Issue 13 (perf helper): one JOIN. A Prisma `select: { user: … }` loads the users with a second query binding
    // every membership's user id (100,000 bind parameters at 100k members).
    tx.$queryRaw<{ id: string; name: string; email: string }[]>`
      SELECT m."id", u."name", u."email" FROM "Membership" m JOIN "User" u ON u."id" = m."userId"
      WHERE m."organizationId" = ${org.id} AND m."status" = 'ACTIVE'`.then((rows) =>
      rows.map((r) => ({ id: r.id, user: { name: r.name, email: r.email } })),
    ),
    tx.membership.findMany({ where: nonCompliantMembers(org, now), select: { id: true } }),
  ]);
  const noncompliant = new Set(without.map((m) => m.id));
  const messages: MailMessage[] = [];
  for (const m of members) {
    const kind = pick(!noncompliant.has(m.id));
    if (!kind) continue;
    const needsSetup = kind === "enrol" || kind === "changed" || kind === "reminder";
    messages.push({
      to: m.user.email,
      template: "org-two-factor",
      data: {
        ...base,
        kind,
        name: m.user.name,
        organizationName: org.name,
        ...(needsSetup ? { setupUrl: twoFactorSetupUrl() } : {}),
      },
    });
  }
  return { messages, without: noncompliant.size };
}

const reminderState = (deadline: Date | null, now: Date) => ({
  // Reminders that would already be due (or make no sense for a short grace) are marked done.
  graceReminder7At: deadline && deadline.getTime() - now.getTime() <= 7 * DAY_MS ? now : null,
  graceReminder1At: deadline && deadline.getTime() - now.getTime() <= DAY_MS ? now : null,
  graceExpiredAt: deadline && deadline <= now ? now : null,
});

const MODE_STRICTNESS: Record<EnforcementMode, number> = { NOW: 3, NEXT_SIGN_IN: 2, GRACE: 1 };

/**
 * S42: what in a change weakens the requirement (empty when it only tightens or keeps it): turning it off, a looser
 * mode (now → next sign-in → grace period), a longer grace period, the SSO exemption turned on, more allowed methods.
 */
export function weakenings(
  before: Pick<PolicyRow, "requireTwoFactor" | "enforcementMode" | "graceDays" | "exemptSso" | "allowedMethods">,
  after: {
    requireTwoFactor: boolean;
    mode: EnforcementMode;
    graceDays: number | null;
    exemptSso: boolean;
    allowedMethods: SecondFactorMethod[];
  },
): string[] {
  if (!before.requireTwoFactor) return []; // turning it on (with any options) only tightens
  if (!after.requireTwoFactor) return ["turned off"];
  const found: string[] = [];
  if (before.enforcementMode && MODE_STRICTNESS[after.mode] < MODE_STRICTNESS[before.enforcementMode])
    found.push("looser mode");
  if (after.mode === "GRACE" && before.enforcementMode === "GRACE" && (after.graceDays ?? 0) > (before.graceDays ?? 0))
    found.push("longer grace period");
  if (after.exemptSso && !before.exemptSso) found.push("SSO exemption on");
  if (after.allowedMethods.some((m) => !before.allowedMethods.includes(m))) found.push("more methods");
  return found;
}

/**
 * B6, the lockout guardrail: a save that signs members out now or sets a deadline, while no OTHER active owner or
 * administrator has 2FA. If the actor then loses their phone and recovery codes, nobody can reset it for them.
 */
export async function lockoutRisk(
  tx: Tx,
  actor: Actor,
  change: { on: boolean; mode: EnforcementMode | null; startsNow: boolean },
): Promise<boolean> {
  if (!change.on || !change.startsNow || (change.mode !== "NOW" && change.mode !== "GRACE")) return false;
  return (await otherAdminsWithTwoFactor(tx, actor.organizationId, actor.userId)) === 0;
}

/**
 * Saves the organization's 2FA policy. Throws FORBIDDEN (not an owner/admin of this organization), PLAN_REQUIRED
 * (turning it on on the Free plan), ENFORCE_REQUIRES_OWN_TWO_FACTOR (turning it on without 2FA yourself: the lockout
 * guardrail), STEP_UP_REQUIRED (a change that weakens it, S42, without a step-up in the last 10 minutes),
 * LOCKOUT_CONFIRMATION_REQUIRED (B6: "now" or a deadline while nobody else can reset the actor's 2FA, unless
 * `confirmSoleAdmin`), VALIDATION (grace days, methods) and POLICY_STALE (the form's version is not the current one).
 */
export async function saveTwoFactorPolicy(
  actor: SessionActor,
  input: PolicyInput,
  context: RequestContext,
  now = new Date(),
): Promise<PolicyChangeResult> {
  const { graceDays, allowedMethods } = validate(input);
  return db.$transaction(async (tx) => {
    await actorMembership(tx, actor, ADMINS);
    const before = await loadPolicy(tx, actor.organizationId);
    if (before.policyVersion !== input.expectedVersion) throw new DomainError("POLICY_STALE");
    const turningOn = input.requireTwoFactor && !before.requireTwoFactor;
    const turningOff = !input.requireTwoFactor && before.requireTwoFactor;
    if (input.requireTwoFactor && before.plan === "FREE") throw new DomainError("PLAN_REQUIRED");
    if (turningOn) {
      const own = await tx.totpFactor.findUnique({ where: { userId: actor.userId }, select: { userId: true } });
      if (!own || !allowedMethods.includes("TOTP")) throw new DomainError("ENFORCE_REQUIRES_OWN_TWO_FACTOR");
    }
    if (weakenings(before, { ...input, graceDays, allowedMethods }).length > 0)
      await assertRecentStepUp(tx, actor.sessionId, now, actor.userId);

    const on = input.requireTwoFactor;
    const mode = on ? input.mode : null;
    const modeChanged = on && !turningOn && mode !== before.enforcementMode;
    if (!input.confirmSoleAdmin && (await lockoutRisk(tx, actor, { on, mode, startsNow: turningOn || modeChanged })))
      throw new DomainError("LOCKOUT_CONFIRMATION_REQUIRED", {
        fields: {
          confirmSoleAdmin:
            "Tick this box to confirm that you accept being the only one who can reset 2FA here, or ask another administrator to set up 2FA first.",
        },
      });
    const modeSince = turningOn || modeChanged ? now : before.modeSince;
    const deadline =
      mode === "GRACE" && graceDays && modeSince ? new Date(modeSince.getTime() + graceDays * DAY_MS) : null;
    const deadlineChanged = (deadline?.getTime() ?? null) !== (before.graceDeadline?.getTime() ?? null);

    // The conditional update is the concurrency guard: of two admins saving from the same version, one wins.
    const { count } = await tx.organization.updateMany({
      where: { id: actor.organizationId, policyVersion: input.expectedVersion },
      data: {
        requireTwoFactor: on,
        enforcementMode: mode,
        requiredSince: turningOn ? now : on ? before.requiredSince : null,
        modeSince: on ? modeSince : null,
        graceDays: mode === "GRACE" ? graceDays : null,
        graceDeadline: deadline,
        ...(deadlineChanged || turningOn || turningOff ? reminderState(deadline, now) : {}),
        exemptSso: input.exemptSso,
        allowedMethods,
        policyVersion: { increment: 1 },
        policyUpdatedAt: now,
        policyUpdatedById: actor.userId,
      },
    });
    if (count !== 1) throw new DomainError("POLICY_STALE");
    const after = await loadPolicy(tx, actor.organizationId);

    // Who must be signed out now: "now" mode whenever the set of compliant members may have shrunk, and a grace
    // period whose (new) deadline has already passed. Tightening applies at once, to everyone.
    const tightened =
      turningOn ||
      modeChanged ||
      (before.exemptSso && !input.exemptSso) ||
      allowedMethods.length < before.allowedMethods.length;
    let sessionsRevoked = 0;
    if (on && ((mode === "NOW" && tightened) || (mode === "GRACE" && deadline && deadline <= now)))
      sessionsRevoked = await revokeNonCompliantSessions(tx, after, now, "organization-requires-2fa");

    const admin = await tx.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { name: true } });
    const base = {
      adminName: admin.name,
      ...(mode ? { mode } : {}),
      ...(deadline ? { deadline: deadline.toISOString() } : {}),
    };
    let mails: { messages: MailMessage[]; without: number } = { messages: [], without: 0 };
    if (turningOn) mails = await announcement(tx, after, base, (ok) => (ok ? "required" : "enrol"), now);
    else if (turningOff) mails = await announcement(tx, after, base, () => "not-required", now);
    else if (on && (modeChanged || deadlineChanged))
      mails = await announcement(tx, after, base, (ok) => (ok ? null : "changed"), now);
    else if (on)
      mails = { messages: [], without: await tx.membership.count({ where: nonCompliantMembers(after, now) }) };
    await enqueueMailBatch(tx, mails.messages);

    const audit = (type: Parameters<typeof recordAuditEvent>[1]["type"], metadata: Record<string, unknown>) =>
      recordAuditEvent(tx, {
        type,
        organizationId: actor.organizationId,
        actorId: actor.userId,
        context,
        metadata: JSON.parse(JSON.stringify(metadata)),
      });
    const graceMeta = { graceDays: mode === "GRACE" ? graceDays : null, deadline: deadline?.toISOString() ?? null };
    if (turningOn)
      await audit("policy.2fa_required", {
        mode,
        ...graceMeta,
        exemptSso: input.exemptSso,
        allowedMethods,
        membersWithout2fa: mails.without,
        sessionsRevoked,
        mailsQueued: mails.messages.length,
      });
    if (turningOff)
      await audit("policy.2fa_not_required", {
        previousMode: before.enforcementMode,
        mailsQueued: mails.messages.length,
      });
    if (modeChanged)
      await audit("policy.mode_changed", { from: before.enforcementMode, to: mode, ...graceMeta, sessionsRevoked });
    else if (on && !turningOn && mode === "GRACE" && graceDays !== before.graceDays)
      await audit("policy.grace_changed", { fromDays: before.graceDays, ...graceMeta, sessionsRevoked });
    if (before.exemptSso !== input.exemptSso)
      await audit("policy.sso_exemption_changed", { exemptSso: input.exemptSso, sessionsRevoked });
    if ([...before.allowedMethods].sort().join() !== [...allowedMethods].sort().join())
      await audit("policy.methods_changed", { from: before.allowedMethods, allowedMethods });

    return {
      policyVersion: after.policyVersion,
      sessionsRevoked,
      mailsQueued: mails.messages.length,
      membersWithout2fa: mails.without,
    };
  });
}
