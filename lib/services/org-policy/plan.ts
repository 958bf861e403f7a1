import type { EnforcementMode, SecondFactorMethod } from "../../db";
import { DAY_MS } from "../../time";
import type { AuditEventType } from "../audit/audit-log";
import { type PolicyInput, validatePolicyInput } from "./plan-input";
import type { PolicyRow } from "./policy";
import { weakenings } from "./weakenings";

// The decision of a policy change, apart from its writes (change.ts applies it): pure, so every rule of issue 4 is
// unit-tested on its own (plan.test.ts). It reads the policy before the change, the form and the clock; it answers what
// the organization row becomes, who is signed out, which announcement goes out and which audit rows are written.

const reminderState = (deadline: Date | null, now: Date) => ({
  // Reminders that would already be due (or make no sense for a short grace) are marked done.
  graceReminder7At: deadline && deadline.getTime() - now.getTime() <= 7 * DAY_MS ? now : null,
  graceReminder1At: deadline && deadline.getTime() - now.getTime() <= DAY_MS ? now : null,
  graceExpiredAt: deadline && deadline <= now ? now : null,
});

/** What the saved policy needs from the database after the change, to fill in the audit rows. */
interface AppliedCounts {
  sessionsRevoked: number;
  mailsQueued: number;
  membersWithout2fa: number;
}

export interface PolicyPlan {
  graceDays: number | null;
  allowedMethods: SecondFactorMethod[];
  on: boolean;
  mode: EnforcementMode | null;
  turningOn: boolean;
  turningOff: boolean;
  modeChanged: boolean;
  deadline: Date | null;
  deadlineChanged: boolean;
  /** S42: what in the change weakens the requirement (a step-up is needed when not empty). */
  weakens: string[];
  /** B6: the change signs members out now or sets a deadline from now (see lockoutRisk). */
  startsNow: boolean;
  /** The organization row's new policy columns (policyVersion, policyUpdatedAt/ById are the caller's). */
  update: {
    requireTwoFactor: boolean;
    enforcementMode: EnforcementMode | null;
    requiredSince: Date | null;
    modeSince: Date | null;
    graceDays: number | null;
    graceDeadline: Date | null;
    exemptSso: boolean;
    allowedMethods: SecondFactorMethod[];
    graceReminder7At?: Date | null;
    graceReminder1At?: Date | null;
    graceExpiredAt?: Date | null;
  };
  /** Sign out the sessions of non-compliant members now: "now" mode whenever the set of compliant members may have
   *  shrunk, and a grace period whose (new) deadline has already passed. Tightening applies at once, to everyone. */
  revokeNow: boolean;
  /** Which announcement goes out: to everyone (turned on: "required"/"enrol"; turned off), to those still without 2FA
   *  (mode or deadline changed), or none. */
  announce: "turned-on" | "turned-off" | "changed" | null;
  /** The audit rows, once the counts are known. */
  audits: (counts: AppliedCounts) => Array<{ type: AuditEventType; metadata: Record<string, unknown> }>;
}

/** Validates the form (VALIDATION) and plans the change from `before` at `now`. Throws nothing else. */
export function planPolicyChange(before: PolicyRow, input: PolicyInput, now: Date): PolicyPlan {
  const { graceDays, allowedMethods } = validatePolicyInput(input);
  const turningOn = input.requireTwoFactor && !before.requireTwoFactor;
  const turningOff = !input.requireTwoFactor && before.requireTwoFactor;
  const on = input.requireTwoFactor;
  const mode = on ? input.mode : null;
  const modeChanged = on && !turningOn && mode !== before.enforcementMode;
  const modeSince = turningOn || modeChanged ? now : before.modeSince;
  const deadline =
    mode === "GRACE" && graceDays && modeSince ? new Date(modeSince.getTime() + graceDays * DAY_MS) : null;
  const deadlineChanged = (deadline?.getTime() ?? null) !== (before.graceDeadline?.getTime() ?? null);
  const tightened =
    turningOn ||
    modeChanged ||
    (before.exemptSso && !input.exemptSso) ||
    allowedMethods.length < before.allowedMethods.length;
  const revokeNow = on && ((mode === "NOW" && tightened) || (mode === "GRACE" && deadline !== null && deadline <= now));
  const announce = turningOn
    ? "turned-on"
    : turningOff
      ? "turned-off"
      : on && (modeChanged || deadlineChanged)
        ? "changed"
        : null;
  const graceMeta = { graceDays: mode === "GRACE" ? graceDays : null, deadline: deadline?.toISOString() ?? null };
  const methodsChanged = [...before.allowedMethods].sort().join() !== [...allowedMethods].sort().join();
  const audits = (c: AppliedCounts) => {
    const rows: Array<{ type: AuditEventType; metadata: Record<string, unknown> }> = [];
    if (turningOn)
      rows.push({
        type: "policy.2fa_required",
        metadata: {
          mode,
          ...graceMeta,
          exemptSso: input.exemptSso,
          allowedMethods,
          membersWithout2fa: c.membersWithout2fa,
          sessionsRevoked: c.sessionsRevoked,
          mailsQueued: c.mailsQueued,
        },
      });
    if (turningOff)
      rows.push({
        type: "policy.2fa_not_required",
        metadata: { previousMode: before.enforcementMode, mailsQueued: c.mailsQueued },
      });
    if (modeChanged)
      rows.push({
        type: "policy.mode_changed",
        metadata: { from: before.enforcementMode, to: mode, ...graceMeta, sessionsRevoked: c.sessionsRevoked },
      });
    else if (on && !turningOn && mode === "GRACE" && graceDays !== before.graceDays)
      rows.push({
        type: "policy.grace_changed",
        metadata: { fromDays: before.graceDays, ...graceMeta, sessionsRevoked: c.sessionsRevoked },
      });
    if (before.exemptSso !== input.exemptSso)
      rows.push({
        type: "policy.sso_exemption_changed",
        metadata: { exemptSso: input.exemptSso, sessionsRevoked: c.sessionsRevoked },
      });
    if (methodsChanged)
      rows.push({ type: "policy.methods_changed", metadata: { from: before.allowedMethods, allowedMethods } });
    return rows;
  };
  return {
    graceDays,
    allowedMethods,
    on,
    mode,
    turningOn,
    turningOff,
    modeChanged,
    deadline,
    deadlineChanged,
    weakens: weakenings(before, { ...input, graceDays, allowedMethods }),
    startsNow: turningOn || modeChanged,
    update: {
      requireTwoFactor: on,
      enforcementMode: mode,
      requiredSince: turningOn ? now : on ? before.requiredSince : null,
      modeSince: on ? modeSince : null,
      graceDays: mode === "GRACE" ? graceDays : null,
      graceDeadline: deadline,
      ...(deadlineChanged || turningOn || turningOff ? reminderState(deadline, now) : {}),
      exemptSso: input.exemptSso,
      allowedMethods,
    },
    revokeNow,
    announce,
    audits,
  };
}
