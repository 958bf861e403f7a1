import { type Actor, ADMINS } from "../../auth/actor";
import { db, inTransaction, type Tx } from "../../db";
import { DomainError } from "../../errors";
import { type RequestContext, recordAuditEvent } from "../audit/audit-log";
import { actorMembership, organizationOf } from "../authz";
import { factorsOf, hasAllowedFactor } from "../two-factor/factors";
import { assertRecentStepUp } from "../two-factor/step-up";
import { type AnnouncementKinds, queueAnnouncement } from "./announcement";
import { lockoutRisk } from "./lockout-risk";
import { planPolicyChange } from "./plan";
import { type PolicyInput, validatePolicyInput } from "./plan-input";
import { loadPolicy, nonCompliantMembers } from "./policy";
import { revokeNonCompliantSessions } from "./revoke-sessions";

// Changing the organization's two-factor requirement (issue 4): applies the plan (plan.ts) in one transaction — the
// policy row (guarded by policyVersion, so a stale form or a concurrent toggle is refused instead of half-applied), the
// set-based session revocation, the announcement mails (one INSERT into the outbox for every member) and the audit rows.

export interface PolicyChangeResult {
  policyVersion: number;
  sessionsRevoked: number;
  mailsQueued: number;
  membersWithout2fa: number;
}

/**
 * Saves the organization's 2FA policy. Throws FORBIDDEN (not an owner/admin of this organization), PLAN_REQUIRED
 * (turning it on on the Free plan), ENFORCE_REQUIRES_OWN_TWO_FACTOR (turning it on without 2FA yourself: the lockout
 * guardrail), STEP_UP_REQUIRED (a change that weakens it, S42, without a step-up in the last 10 minutes),
 * LOCKOUT_CONFIRMATION_REQUIRED (B6: "now" or a deadline while nobody else can reset the actor's 2FA, unless
 * `confirmSoleAdmin`), VALIDATION (grace days, methods) and POLICY_STALE (the form's version is not the current one).
 */
export async function saveTwoFactorPolicy(
  { actor, input, context }: { actor: Actor; input: PolicyInput; context: RequestContext },
  { tx: outer = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<PolicyChangeResult> {
  validatePolicyInput(input); // before anything is read: a malformed form is refused as such
  const organizationId = organizationOf(actor);
  return inTransaction(outer, async (tx) => {
    await actorMembership(tx, actor, ADMINS);
    const before = await loadPolicy(tx, organizationId);
    const plan = planPolicyChange(before, input, now);
    if (before.policyVersion !== input.expectedVersion) throw new DomainError("POLICY_STALE");
    if (input.requireTwoFactor && before.plan === "FREE") throw new DomainError("PLAN_REQUIRED");
    if (plan.turningOn) {
      // The actor needs a factor the new policy allows, or the requirement would lock them out at once.
      const own = await factorsOf(actor.userId, { tx });
      if (!hasAllowedFactor(own, plan.allowedMethods)) throw new DomainError("ENFORCE_REQUIRES_OWN_TWO_FACTOR");
    }
    if (plan.weakens.length > 0) await assertRecentStepUp(tx, actor.sessionId, now, actor.userId);
    if (
      !input.confirmSoleAdmin &&
      (await lockoutRisk(tx, actor, { on: plan.on, mode: plan.mode, startsNow: plan.startsNow }))
    )
      throw new DomainError("LOCKOUT_CONFIRMATION_REQUIRED", { fields: { confirmSoleAdmin: "CONFIRM_SOLE_ADMIN" } });

    // The conditional update is the concurrency guard: of two admins saving from the same version, one wins.
    const { count } = await tx.organization.updateMany({
      where: { id: organizationId, policyVersion: input.expectedVersion },
      data: { ...plan.update, policyVersion: { increment: 1 }, policyUpdatedAt: now, policyUpdatedById: actor.userId },
    });
    if (count !== 1) throw new DomainError("POLICY_STALE");
    const after = await loadPolicy(tx, organizationId);
    // The reason the signed-out members read at sign-in: a grace period shortened past its deadline, or "now".
    const sessionsRevoked = plan.revokeNow
      ? await revokeNonCompliantSessions(
          tx,
          after,
          now,
          after.enforcementMode === "GRACE" ? "two_factor_deadline_passed" : "organization_requires_2fa",
        )
      : 0;

    const admin = await tx.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { name: true } });
    const base = {
      adminName: admin.name,
      ...(plan.mode ? { mode: plan.mode } : {}),
      ...(plan.deadline ? { deadline: plan.deadline.toISOString() } : {}),
    };
    // The announcement: one INSERT … SELECT built by the database (announcement.ts), whatever the organization's size.
    const kinds: AnnouncementKinds =
      plan.announce === "turned-on"
        ? { compliant: "required", nonCompliant: "enrol" }
        : plan.announce === "turned-off"
          ? { compliant: "not-required", nonCompliant: "not-required" }
          : plan.announce === "changed"
            ? { compliant: null, nonCompliant: "changed" }
            : { compliant: null, nonCompliant: null };
    // Issue 10, item 8: when SSO stops counting, the SSO members who now must set up 2FA are told so in their own
    // words (instead of the general "changed" mail); a policy turned on just now already told them ("enrol").
    if (plan.on && !plan.turningOn && before.exemptSso && !after.exemptSso) kinds.ssoExemptionRemoved = true;
    const mailsQueued = await queueAnnouncement(tx, after, base, kinds, now);
    const without =
      plan.on || plan.announce ? await tx.membership.count({ where: nonCompliantMembers(after, now) }) : 0;

    const counts = { sessionsRevoked, mailsQueued, membersWithout2fa: without };
    for (const { type, metadata } of plan.audits(counts))
      await recordAuditEvent(tx, {
        type,
        organizationId,
        actorId: actor.userId,
        context,
        metadata: JSON.parse(JSON.stringify(metadata)),
      });
    return { policyVersion: after.policyVersion, ...counts };
  });
}
