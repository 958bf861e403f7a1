import type { Prisma, Tx } from "../../db";
import { type AuditEventType, type RequestContext, recordAuditEvent } from "../audit/audit-log";

async function organizationIds(tx: Tx, userId: string): Promise<(string | null)[]> {
  const rows = await tx.membership.findMany({ where: { userId, status: "ACTIVE" }, select: { organizationId: true } });
  return rows.length ? rows.map((r) => r.organizationId) : [null];
}

/** Records an event of the user's own account in every organization they are an active member of (S40: accounts in
 *  several organizations are audited in each), or once without an organization. */
export async function auditForUser(
  tx: Tx,
  userId: string,
  type: AuditEventType,
  context: RequestContext,
  metadata: Prisma.InputJsonObject,
): Promise<void> {
  for (const organizationId of await organizationIds(tx, userId)) {
    await recordAuditEvent(tx, { type, organizationId, actorId: userId, targetId: userId, context, metadata });
  }
}
