import { type Actor, ADMINS } from "../../auth/actor";
import { db, inTransaction, type Tx } from "../../db";
import { DomainError } from "../../errors";
import { type RequestContext, recordAuditEvent } from "../audit/audit-log";
import { actorMembership, organizationOf } from "../authz";
import { assertRecentStepUp } from "../two-factor/step-up";

// B4 (issue 10, item 8): the organization setting "alert administrators when a member uses a recovery code" (on by
// default; the alert itself is sign-in/recovery-code-alert.ts). Owners and administrators change it; turning it off
// weakens security, so it needs a recent step-up (S42). Each change is audited with the change.

/** Turns the admin alert on or off. Throws VALIDATION, FORBIDDEN, STEP_UP_REQUIRED (turning it off without a recent
 *  step-up). Saving the value it already has changes and audits nothing. */
export async function setRecoveryCodeAlert(
  { actor, input, context }: { actor: Actor; input: { enabled: boolean }; context: RequestContext },
  { tx: outer = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<{ enabled: boolean; changed: boolean }> {
  if (typeof input.enabled !== "boolean") throw new DomainError("VALIDATION");
  const organizationId = organizationOf(actor);
  return inTransaction(outer, async (tx) => {
    await actorMembership(tx, actor, ADMINS);
    const { alertAdminsOnRecoveryCode: before } = await tx.organization.findUniqueOrThrow({
      where: { id: organizationId },
      select: { alertAdminsOnRecoveryCode: true },
    });
    if (before === input.enabled) return { enabled: before, changed: false };
    if (!input.enabled) await assertRecentStepUp(tx, actor.sessionId, now, actor.userId);
    // Conditional: of two admins changing it at once, one changes it and is audited.
    const { count } = await tx.organization.updateMany({
      where: { id: organizationId, alertAdminsOnRecoveryCode: before },
      data: { alertAdminsOnRecoveryCode: input.enabled },
    });
    if (count !== 1) return { enabled: input.enabled, changed: false };
    await recordAuditEvent(tx, {
      type: "policy.recovery_code_alert_changed",
      organizationId,
      actorId: actor.userId,
      context,
      metadata: { enabled: input.enabled },
    });
    return { enabled: input.enabled, changed: true };
  });
}
