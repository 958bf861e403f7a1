import { type Actor, ADMINS } from "../../auth/actor";
import { db, inTransaction, type Tx } from "../../db";
import { DomainError } from "../../errors";
import { DAY_MS } from "../../time";
import { twoFactorSetupUrl } from "../../urls";
import { EXEMPTION_MAX_DAYS, EXEMPTION_MIN_DAYS } from "../../validation/teammates";
import { isPlainText, TEXT_MESSAGES } from "../../validation/text";
import { type RequestContext, recordAuditEvent } from "../audit/audit-log";
import { actorMembership, organizationOf, targetMembership } from "../authz";
import { enqueueMail } from "../outbox/outbox";
import { factorsOf, hasAnyFactor } from "../two-factor/factors";
import { assertRecentStepUp } from "../two-factor/step-up";
import { complies } from "./policy";

// Time-limited exemptions from the organization's two-factor requirement (issue 5, item 4). An administrator of the
// same organization exempts a teammate (never the owner, never themselves) for 1–30 days with a reason. The exemption
// ends by itself: it is in force while `twoFactorExemptUntil > now`, nothing has to run when it expires. It can also
// be removed early. Each change, its audit row and the member's mail (issue 10, item 8) commit together.

async function authorize(tx: Tx, actor: Actor, membershipId: string) {
  const own = await actorMembership(tx, actor, ADMINS);
  if (own.id === membershipId) throw new DomainError("NOT_ON_YOURSELF");
  return targetMembership(tx, actor, membershipId); // NOT_FOUND (other org, removed) / OWNER_PROTECTED
}

/** What the member's mail says about the organization and them: who changed it, whether they must set up 2FA now. */
async function mailContext(
  tx: Tx,
  actor: Actor,
  target: { userId: string; user: { signInMethod: string } },
  now: Date,
) {
  const [organization, admin, factor] = await Promise.all([
    tx.organization.findUniqueOrThrow({
      where: { id: organizationOf(actor) },
      select: { name: true, requireTwoFactor: true, exemptSso: true, allowedMethods: true },
    }),
    tx.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { name: true } }),
    factorsOf(target.userId, { tx }),
  ]);
  const hasTwoFactor = hasAnyFactor(factor);
  const compliesWithout = complies(
    organization,
    { twoFactorExemptUntil: null, signInMethod: target.user.signInMethod, hasTotp: factor.app, hasSms: factor.sms },
    now,
  );
  return {
    organizationName: organization.name,
    adminName: admin.name,
    hasTwoFactor,
    mustSetUp: organization.requireTwoFactor && !compliesWithout,
  };
}

/** Whether a membership's exemption is in force at `now`. */
export const isExempt = (m: { twoFactorExemptUntil: Date | null }, now = new Date()) =>
  m.twoFactorExemptUntil !== null && m.twoFactorExemptUntil > now;

/**
 * Exempts a teammate for `days` (whole days, 1–30) from now, replacing any exemption in force. Throws VALIDATION (days
 * out of range, reason missing or longer than 200 characters), FORBIDDEN, NOT_ON_YOURSELF, NOT_FOUND, OWNER_PROTECTED,
 * STEP_UP_REQUIRED (no second-factor check of the admin in the last 10 minutes, S42: a change that weakens 2FA needs a fresh step-up).
 */
export async function grantTwoFactorExemption(
  {
    actor,
    input,
    context,
  }: { actor: Actor; input: { membershipId: string; days: number; reason: string }; context: RequestContext },
  { tx: outer = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<{ until: Date }> {
  const reason = typeof input.reason === "string" ? input.reason.trim() : "";
  const fields: Record<string, string> = {};
  if (!Number.isInteger(input.days) || input.days < EXEMPTION_MIN_DAYS || input.days > EXEMPTION_MAX_DAYS)
    fields.days = "EXEMPTION_DAYS_RANGE";
  if (reason.length < 3 || reason.length > 200) fields.reason = "EXEMPTION_REASON_LENGTH";
  else if (!isPlainText(reason)) fields.reason = TEXT_MESSAGES.control;
  if (Object.keys(fields).length > 0) throw new DomainError("VALIDATION", { fields });
  return inTransaction(outer, async (tx) => {
    const target = await authorize(tx, actor, input.membershipId);
    // S42: an exemption weakens the requirement for this person: it needs a recent step-up of the admin.
    await assertRecentStepUp(tx, actor.sessionId, now, actor.userId);
    const until = new Date(now.getTime() + input.days * DAY_MS);
    await tx.membership.update({
      where: { id: target.id },
      data: { twoFactorExemptUntil: until, twoFactorExemptReason: reason, twoFactorExemptById: actor.userId },
    });
    await recordAuditEvent(tx, {
      type: "2fa.exemption_granted",
      organizationId: organizationOf(actor),
      actorId: actor.userId,
      targetId: target.userId,
      context,
      metadata: {
        membershipId: target.id,
        days: input.days,
        reason,
        until: until.toISOString(),
        ...(isExempt(target, now) ? { replacedUntil: target.twoFactorExemptUntil?.toISOString() ?? null } : {}),
      },
    });
    const about = await mailContext(tx, actor, target, now);
    const changed = isExempt(target, now);
    await enqueueMail(tx, {
      to: target.user.email,
      template: changed ? "exemption-changed" : "exemption-granted",
      data: {
        name: target.user.name,
        ...about,
        until: until.toISOString(),
        ...(changed && target.twoFactorExemptUntil ? { previousUntil: target.twoFactorExemptUntil.toISOString() } : {}),
        reason,
        at: now.toISOString(),
        setupUrl: twoFactorSetupUrl(),
      },
    });
    return { until };
  });
}

/** Ends a teammate's exemption now. Throws NO_EXEMPTION when none is in force (also when it already expired). */
export async function revokeTwoFactorExemption(
  { actor, input, context }: { actor: Actor; input: { membershipId: string }; context: RequestContext },
  { tx: outer = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<{ revoked: true }> {
  return inTransaction(outer, async (tx) => {
    const target = await authorize(tx, actor, input.membershipId);
    // Conditional: of two concurrent removals exactly one succeeds and is audited.
    const { count } = await tx.membership.updateMany({
      where: { id: target.id, twoFactorExemptUntil: { gt: now } },
      data: { twoFactorExemptUntil: null, twoFactorExemptReason: null, twoFactorExemptById: null },
    });
    if (count !== 1) throw new DomainError("NO_EXEMPTION");
    await recordAuditEvent(tx, {
      type: "2fa.exemption_revoked",
      organizationId: organizationOf(actor),
      actorId: actor.userId,
      targetId: target.userId,
      context,
      metadata: {
        membershipId: target.id,
        wasUntil: target.twoFactorExemptUntil?.toISOString() ?? null,
        reason: target.twoFactorExemptReason ?? null,
      },
    });
    const about = await mailContext(tx, actor, target, now);
    await enqueueMail(tx, {
      to: target.user.email,
      template: "exemption-ended",
      data: {
        name: target.user.name,
        ...about,
        ...(target.twoFactorExemptUntil ? { previousUntil: target.twoFactorExemptUntil.toISOString() } : {}),
        at: now.toISOString(),
        setupUrl: twoFactorSetupUrl(),
      },
    });
    return { revoked: true as const };
  });
}
