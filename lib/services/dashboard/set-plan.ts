import type { Plan } from "../../db";
import { db, inTransaction, type Tx } from "../../db";
import { DomainError } from "../../errors";
import { type RequestContext, recordAuditEvent } from "../audit/audit-log";

// The operator's plan change (issue 15 §6): `npm run org:set-plan -- <org-slug> <plan>`. Not reachable from the
// console (no action or route calls it): an organization never changes its own plan. Audited in the organization's
// log; pending upgrade requests are marked handled in the same transaction.

export const PLANS: readonly Plan[] = ["FREE", "PROFESSIONAL", "ENTERPRISE"];

export async function setOrganizationPlan(
  { input, context }: { actor?: null; input: { slug: string; plan: Plan }; context: RequestContext },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<{ from: Plan; to: Plan; changed: boolean; requestsHandled: number }> {
  if (!PLANS.includes(input.plan)) throw new DomainError("VALIDATION");
  const run = async (t: Tx) => {
    const org = await t.organization.findUnique({ where: { slug: input.slug }, select: { id: true, plan: true } });
    if (!org) throw new DomainError("NOT_FOUND");
    if (org.plan === input.plan) return { from: org.plan, to: input.plan, changed: false, requestsHandled: 0 };
    await t.organization.update({ where: { id: org.id }, data: { plan: input.plan } });
    const { count } = await t.upgradeRequest.updateMany({
      where: { organizationId: org.id, handledAt: null },
      data: { handledAt: now },
    });
    await recordAuditEvent(t, {
      type: "organization.plan_changed",
      organizationId: org.id,
      context,
      metadata: { from: org.plan, to: input.plan, by: "operator", requestsHandled: count },
    });
    return { from: org.plan, to: input.plan, changed: true, requestsHandled: count };
  };
  return inTransaction(tx, run);
}
