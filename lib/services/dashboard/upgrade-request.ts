import { type Actor, ADMINS } from "../../auth/actor";
import type { Plan } from "../../db";
import { db, inTransaction, type Tx } from "../../db";
import { env } from "../../env";
import { DomainError } from "../../errors";
import type { UpgradeRequestInput } from "../../validation/dashboard";
import { type RequestContext, recordAuditEvent } from "../audit/audit-log";
import { actorMembership, organizationOf } from "../authz";
import { enqueueMail } from "../outbox/outbox";
import { DAY_MS } from "./day";

// Upgrade request (issue 15 §6, SPEC §1): the owner or an administrator asks for a paid plan. The request row, its
// audit row and the two mails (sales, owner) are written in one transaction; one request per organization per 24
// hours, decided under a lock on the organization row so two simultaneous submits cannot both pass. The plan itself
// changes only through the operator command (set-plan.ts), which marks the request handled.

export interface UpgradeRequestView {
  id: string;
  plan: Plan;
  seats: number;
  requestedAt: Date;
  requestedBy: string;
}

const PLAN_ORDER: Record<Plan, number> = { FREE: 0, PROFESSIONAL: 1, ENTERPRISE: 2 };
const planName: Record<Plan, string> = { FREE: "Free", PROFESSIONAL: "Professional", ENTERPRISE: "Enterprise" };

/** The newest request not yet handled, if any. */
export async function pendingUpgradeRequest(tx: Tx, organizationId: string): Promise<UpgradeRequestView | null> {
  const r = await tx.upgradeRequest.findFirst({
    where: { organizationId, handledAt: null },
    orderBy: { createdAt: "desc" },
  });
  if (!r) return null;
  const who = await tx.user.findUnique({ where: { id: r.requestedById }, select: { name: true } });
  return { id: r.id, plan: r.plan, seats: r.seats, requestedAt: r.createdAt, requestedBy: who?.name ?? "Someone" };
}

export async function requestUpgrade(
  {
    actor,
    input,
    context,
  }: {
    actor: Actor;
    input: { plan: "PROFESSIONAL" | "ENTERPRISE"; seats: number; message: string };
    context: RequestContext;
  },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<UpgradeRequestView> {
  const run = async (t: Tx) => {
    await actorMembership(t, actor, ADMINS);
    // Serialise requests of one organization: the second of two simultaneous submits waits here, then sees the first.
    await t.$queryRaw`SELECT 1 FROM "Organization" WHERE "id" = ${organizationOf(actor)} FOR UPDATE`;
    const org = await t.organization.findUniqueOrThrow({
      where: { id: organizationOf(actor) },
      select: { name: true, slug: true, plan: true },
    });
    if (PLAN_ORDER[input.plan] <= PLAN_ORDER[org.plan]) throw new DomainError("UPGRADE_PLAN_INVALID");
    const recent = await t.upgradeRequest.findFirst({
      where: { organizationId: organizationOf(actor), createdAt: { gt: new Date(now.getTime() - DAY_MS) } },
      select: { id: true },
    });
    if (recent) throw new DomainError("UPGRADE_REQUEST_RECENT");
    const [requester, owner] = await Promise.all([
      t.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { name: true, email: true } }),
      t.membership.findFirst({
        where: { organizationId: organizationOf(actor), role: "OWNER", status: "ACTIVE" },
        select: { user: { select: { name: true, email: true } } },
      }),
    ]);
    const row = await t.upgradeRequest.create({
      data: {
        organizationId: organizationOf(actor),
        requestedById: actor.userId,
        plan: input.plan,
        seats: input.seats,
        message: input.message,
        createdAt: now,
      },
    });
    await recordAuditEvent(t, {
      type: "organization.upgrade_requested",
      organizationId: organizationOf(actor),
      actorId: actor.userId,
      context,
      metadata: { requestId: row.id, from: org.plan, plan: input.plan, seats: input.seats },
    });
    const data = {
      organizationName: org.name,
      organizationSlug: org.slug,
      currentPlan: planName[org.plan],
      plan: planName[input.plan],
      seats: input.seats,
      message: input.message,
      requestedByName: requester.name,
      requestedByEmail: requester.email,
      at: now.toISOString(),
    };
    await enqueueMail(t, { to: env.SALES_EMAIL, template: "upgrade-request", data: { ...data, recipient: "sales" } });
    if (owner)
      await enqueueMail(t, {
        to: owner.user.email,
        template: "upgrade-request",
        data: { ...data, recipient: "owner" },
      });
    return { id: row.id, plan: row.plan, seats: row.seats, requestedAt: row.createdAt, requestedBy: requester.name };
  };
  return inTransaction(tx, run);
}

export type { UpgradeRequestInput };
