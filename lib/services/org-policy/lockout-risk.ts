import type { Actor } from "../../auth/actor";
import type { EnforcementMode, Tx } from "../../db";
import { organizationOf } from "../authz";
import { otherAdminsWithTwoFactor } from "./policy";

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
  return (await otherAdminsWithTwoFactor(tx, organizationOf(actor), actor.userId)) === 0;
}
