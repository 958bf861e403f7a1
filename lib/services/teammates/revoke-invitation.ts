import { type Actor, ADMINS } from "../../auth/actor";
import { db, inTransaction, type Tx } from "../../db";
import { DomainError } from "../../errors";
import { type RequestContext, recordAuditEvent } from "../audit/audit-log";
import { actorMembership, organizationOf } from "../authz";

/** An admin withdraws a pending invitation of their organization (NOT_FOUND when it is no longer pending). */
export async function revokeInvitation(
  { actor, input, context }: { actor: Actor; input: { invitationId: string }; context: RequestContext },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
): Promise<void> {
  await inTransaction(tx, async (t) => {
    await actorMembership(t, actor, ADMINS);
    const { count } = await t.invitation.updateMany({
      where: { id: input.invitationId, organizationId: organizationOf(actor), acceptedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    if (count !== 1) throw new DomainError("NOT_FOUND");
    await recordAuditEvent(t, {
      type: "invitation.revoked",
      organizationId: organizationOf(actor),
      actorId: actor.userId,
      context,
      metadata: { invitationId: input.invitationId },
    });
  });
}
