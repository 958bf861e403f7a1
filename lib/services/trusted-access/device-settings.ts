import { type Actor, ADMINS } from "../../auth/actor";
import { db, inTransaction, type Tx } from "../../db";
import { inputError } from "../../errors";
import { deviceTrustSchema } from "../../validation/org-policy";
import { type RequestContext, recordAuditEvent } from "../audit/audit-log";
import { actorMembership, organizationOf } from "../authz";
import { assertRecentStepUp } from "../two-factor/step-up";
import { applyLowerRememberDays } from "./remembered-devices";

// Issue 11 (Settings > Organization security): how long members may have a device remembered (0–30 days, 0 = off)
// and the risk-based prompt ("ask for a code only when a sign-in looks unusual", off by default). Owners and
// administrators change them. Anything that weakens security — more days, or turning the risk option on — needs a
// recent step-up (S42). Lowering the days forgets, in the same transaction, every remembered device of the members
// that is older than the new limit (all of them at 0) and shortens the others to it. Each change is audited with it.

export interface DeviceTrustSettings {
  rememberDeviceDays: number;
  riskBasedPrompt: boolean;
}

/** Throws VALIDATION (days outside 0–30), FORBIDDEN, STEP_UP_REQUIRED. Saving the current values changes nothing. */
export async function setDeviceTrust(
  { actor, input, context }: { actor: Actor; input: DeviceTrustSettings; context: RequestContext },
  { tx: outer = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<DeviceTrustSettings & { changed: boolean; devicesForgotten: number }> {
  const parsed = deviceTrustSchema.safeParse(input);
  if (!parsed.success) throw inputError(parsed.error.issues, "rememberDeviceDays");
  const next = parsed.data;
  const organizationId = organizationOf(actor);
  return inTransaction(outer, async (tx) => {
    await actorMembership(tx, actor, ADMINS);
    // Locked: two admins saving at once are applied one after the other, each audited against what it replaced.
    await tx.$queryRaw`SELECT id FROM "Organization" WHERE id = ${organizationId} FOR UPDATE`;
    const before = await tx.organization.findUniqueOrThrow({
      where: { id: organizationId },
      select: { rememberDeviceDays: true, riskBasedPrompt: true },
    });
    const daysChanged = before.rememberDeviceDays !== next.rememberDeviceDays;
    const riskChanged = before.riskBasedPrompt !== next.riskBasedPrompt;
    if (!daysChanged && !riskChanged) return { ...before, changed: false, devicesForgotten: 0 };
    const weakens = next.rememberDeviceDays > before.rememberDeviceDays || (riskChanged && next.riskBasedPrompt);
    if (weakens) await assertRecentStepUp(tx, actor.sessionId, now, actor.userId);

    await tx.organization.update({ where: { id: organizationId }, data: next });
    let devicesForgotten = 0;
    if (next.rememberDeviceDays < before.rememberDeviceDays)
      devicesForgotten = await applyLowerRememberDays(tx, { organizationId, days: next.rememberDeviceDays }, now);
    if (daysChanged)
      await recordAuditEvent(tx, {
        type: "policy.remember_device_changed",
        organizationId,
        actorId: actor.userId,
        context,
        metadata: { from: before.rememberDeviceDays, to: next.rememberDeviceDays, forgotten: devicesForgotten },
      });
    if (riskChanged)
      await recordAuditEvent(tx, {
        type: "policy.risk_prompt_changed",
        organizationId,
        actorId: actor.userId,
        context,
        metadata: { enabled: next.riskBasedPrompt },
      });
    return { ...next, changed: true, devicesForgotten };
  });
}

/** What the settings card shows. Admins only. */
export async function deviceTrustOverview(
  { actor }: { actor: Actor },
  { tx = db }: { tx?: Tx } = {},
): Promise<DeviceTrustSettings & { rememberedDevices: number }> {
  const organizationId = organizationOf(actor);
  await actorMembership(tx, actor, ADMINS);
  const org = await tx.organization.findUniqueOrThrow({
    where: { id: organizationId },
    select: { rememberDeviceDays: true, riskBasedPrompt: true },
  });
  const rememberedDevices = await tx.rememberedDevice.count({
    where: {
      expiresAt: { gt: new Date() },
      user: { memberships: { some: { organizationId, status: "ACTIVE" } } },
    },
  });
  return { ...org, rememberedDevices };
}
