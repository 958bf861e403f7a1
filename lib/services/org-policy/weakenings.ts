import type { EnforcementMode, SecondFactorMethod } from "../../db";
import type { PolicyRow } from "./policy";

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
