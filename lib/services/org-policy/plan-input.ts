import type { EnforcementMode, SecondFactorMethod } from "../../db";
import { DomainError, type ErrorCode } from "../../errors";
import { AVAILABLE_METHODS, GRACE_MAX_DAYS, GRACE_MIN_DAYS } from "./policy";

// The policy form as the services receive it, and its own rules (checked before anything is read).

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

/** The form's own rules (grace days, methods): VALIDATION with a message per field. */
export function validatePolicyInput(input: PolicyInput): {
  graceDays: number | null;
  allowedMethods: SecondFactorMethod[];
} {
  const fields: Record<string, ErrorCode> = {};
  let graceDays: number | null = null;
  if (input.mode === "GRACE") {
    const d = input.graceDays;
    if (typeof d !== "number" || !Number.isInteger(d) || d < GRACE_MIN_DAYS || d > GRACE_MAX_DAYS)
      fields.graceDays = "GRACE_DAYS_RANGE";
    else graceDays = d;
  }
  const allowedMethods = [...new Set(input.allowedMethods)];
  if (allowedMethods.length === 0) fields.allowedMethods = "METHODS_EMPTY";
  else if (allowedMethods.some((m) => !AVAILABLE_METHODS.includes(m))) fields.allowedMethods = "METHOD_UNAVAILABLE";
  if (Object.keys(fields).length > 0) throw new DomainError("VALIDATION", { fields });
  return { graceDays, allowedMethods };
}
