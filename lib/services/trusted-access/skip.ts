import type { Tx } from "../../db";
import { countryOf } from "../../net/country";
import { networkOf } from "../../net/network";
import type { RequestContext } from "../audit/audit-log";
import { sessionGateAtStart } from "../org-policy/gate";
import { judgeFamiliarity, recentPassedPlaces } from "./familiarity";
import { findRememberedDevice } from "./remembered-devices";

// Issue 11: may this sign-in skip the second step? Decided by the server at the first step (createChallenge), from
// what it knows — never from the browser's word, except the remembered-device token, which is checked against its
// stored hash. The checks run in order; the first that applies wins and its reason goes on the challenge
// (SignInChallenge.skipReason/skipDetail), then on the session (lowerAssurance, S30) and in the audit log (item 4).
//
// Rules for every skip (item 4): never for a person without a second factor (they skip the prompt, never the
// enrolment), never while an organization requires them to set up (or re-enrol) a factor.
//
// (The trusted-network check of issue 11 item 1 comes first in this list; it lives in its own module.)

export type SkipReason = "trusted-network" | "remembered-device" | "familiar";
export interface SecondStepSkip {
  reason: SkipReason;
  /** The trusted network's label, or the remembered device's id. */
  detail?: string;
}

export async function decideSecondStepSkip(
  tx: Tx,
  {
    userId,
    context,
    rememberedDeviceToken,
  }: { userId: string; context: RequestContext; rememberedDeviceToken?: string | null },
  now: Date,
): Promise<SecondStepSkip | null> {
  const factor = await tx.totpFactor.findUnique({ where: { userId }, select: { userId: true } });
  if (!factor) return null;
  if (await sessionGateAtStart(tx, userId, now)) return null;

  const device = await findRememberedDevice(tx, userId, rememberedDeviceToken, now);
  if (device) return { reason: "remembered-device", detail: device.id };

  if (await riskBasedPromptApplies(tx, userId)) {
    const verdict = judgeFamiliarity({
      history: await recentPassedPlaces(tx, userId, now),
      rememberedDevice: false,
      network: networkOf(context.ip),
      country: countryOf(context.ip),
      now,
    });
    if (verdict.familiar) return { reason: "familiar", detail: verdict.because };
  }
  return null;
}

/** The risk-based prompt applies only when EVERY organization of the person turned it on (the strictest wins, as for
 *  the remembered-device days); a personal account outside any organization has no one to turn it on: off. */
async function riskBasedPromptApplies(tx: Tx, userId: string): Promise<boolean> {
  const rows = await tx.membership.findMany({
    where: { userId, status: "ACTIVE" },
    select: { organization: { select: { riskBasedPrompt: true } } },
  });
  return rows.length > 0 && rows.every((r) => r.organization.riskBasedPrompt);
}
