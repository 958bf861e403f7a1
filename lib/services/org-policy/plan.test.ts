import { describe, expect, it } from "vitest";
import { isDomainError } from "../../errors";
import { DAY_MS } from "../../time";
import { planPolicyChange } from "./plan";
import type { PolicyInput } from "./plan-input";
import type { PolicyRow } from "./policy";

const NOW = new Date("2026-12-01T12:00:00Z");
const counts = { sessionsRevoked: 4, mailsQueued: 9, membersWithout2fa: 3 };

const off: PolicyRow = {
  id: "org1",
  name: "Acme",
  plan: "PROFESSIONAL",
  requireTwoFactor: false,
  enforcementMode: null,
  requiredSince: null,
  modeSince: null,
  graceDays: null,
  graceDeadline: null,
  graceReminder7At: null,
  graceReminder1At: null,
  graceExpiredAt: null,
  exemptSso: false,
  allowedMethods: ["TOTP"],
  policyVersion: 3,
  policyUpdatedAt: null,
  policyUpdatedById: null,
  alertAdminsOnRecoveryCode: true,
};
const earlier = new Date(NOW.getTime() - 10 * DAY_MS);
const onNow: PolicyRow = {
  ...off,
  requireTwoFactor: true,
  enforcementMode: "NOW",
  requiredSince: earlier,
  modeSince: earlier,
};
const input = (over: Partial<PolicyInput> = {}): PolicyInput => ({
  requireTwoFactor: true,
  mode: "NOW",
  exemptSso: false,
  allowedMethods: ["TOTP"],
  expectedVersion: 3,
  ...over,
});

describe("planPolicyChange (the decision of a policy change, without the database)", () => {
  it("turning it on 'now': signs non-compliant members out, announces to everyone, one audit row with the counts", () => {
    const plan = planPolicyChange(off, input(), NOW);
    expect(plan).toMatchObject({ turningOn: true, turningOff: false, revokeNow: true, announce: "turned-on" });
    expect(plan.weakens).toEqual([]);
    expect(plan.startsNow).toBe(true);
    expect(plan.update).toMatchObject({ requireTwoFactor: true, enforcementMode: "NOW", requiredSince: NOW });
    expect(plan.audits(counts)).toEqual([
      {
        type: "policy.2fa_required",
        metadata: {
          mode: "NOW",
          graceDays: null,
          deadline: null,
          exemptSso: false,
          allowedMethods: ["TOTP"],
          ...counts,
        },
      },
    ]);
  });

  it("a grace period sets the deadline from now; reminders already due for a short one are marked done", () => {
    const long = planPolicyChange(off, input({ mode: "GRACE", graceDays: 14 }), NOW);
    expect(long.deadline).toEqual(new Date(NOW.getTime() + 14 * DAY_MS));
    expect(long.revokeNow).toBe(false);
    expect(long.update).toMatchObject({ graceReminder7At: null, graceReminder1At: null, graceExpiredAt: null });
    const short = planPolicyChange(off, input({ mode: "GRACE", graceDays: 3 }), NOW);
    expect(short.update).toMatchObject({ graceReminder7At: NOW, graceReminder1At: null, graceExpiredAt: null });
  });

  it("refuses grace days out of range and an empty method list, field by field", () => {
    let caught: unknown;
    try {
      planPolicyChange(off, input({ mode: "GRACE", graceDays: 0, allowedMethods: [] }), NOW);
    } catch (e) {
      caught = e;
    }
    expect(isDomainError(caught, "VALIDATION")).toBe(true);
    expect(Object.keys((caught as { fields: Record<string, string> }).fields).sort()).toEqual([
      "allowedMethods",
      "graceDays",
    ]);
  });

  it("turning it off weakens it (a step-up is needed), signs nobody out and tells everyone", () => {
    const plan = planPolicyChange(onNow, input({ requireTwoFactor: false }), NOW);
    expect(plan).toMatchObject({ turningOff: true, revokeNow: false, announce: "turned-off", mode: null });
    expect(plan.weakens).toEqual(["turned off"]);
    expect(plan.update).toMatchObject({ requireTwoFactor: false, requiredSince: null, modeSince: null });
    expect(plan.audits(counts).map((a) => a.type)).toEqual(["policy.2fa_not_required"]);
  });

  it("a looser mode is a weakening and signs nobody out; a stricter one signs out at once", () => {
    const looser = planPolicyChange(onNow, input({ mode: "NEXT_SIGN_IN" }), NOW);
    expect(looser).toMatchObject({ modeChanged: true, revokeNow: false, announce: "changed" });
    expect(looser.weakens).toEqual(["looser mode"]);
    const stricter = planPolicyChange({ ...onNow, enforcementMode: "NEXT_SIGN_IN" }, input(), NOW);
    expect(stricter).toMatchObject({ modeChanged: true, revokeNow: true, announce: "changed" });
    expect(stricter.weakens).toEqual([]);
    expect(stricter.audits(counts).map((a) => a.type)).toEqual(["policy.mode_changed"]);
  });

  it("saving the same policy again changes nothing worth announcing or auditing", () => {
    const plan = planPolicyChange(onNow, input(), NOW);
    expect(plan).toMatchObject({ modeChanged: false, revokeNow: false, announce: null, startsNow: false });
    expect(plan.update.requiredSince).toEqual(earlier);
    expect(plan.audits(counts)).toEqual([]);
  });

  it("the SSO exemption and the methods are audited on their own", () => {
    const plan = planPolicyChange(onNow, input({ exemptSso: true }), NOW);
    expect(plan.weakens).toEqual(["SSO exemption on"]);
    expect(plan.audits(counts).map((a) => a.type)).toEqual(["policy.sso_exemption_changed"]);
  });
});
