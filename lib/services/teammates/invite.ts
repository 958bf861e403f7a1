import { type Actor, ADMINS } from "../../auth/actor";
import { hashToken, randomToken } from "../../crypto/tokens";
import type { MembershipType, Role } from "../../db";
import { db, inTransaction, lockNames, type Tx } from "../../db";
import { fieldError, inputError } from "../../errors";
import { invitationUrl } from "../../urls";
import { inviteSchema } from "../../validation/teammates";
import { type RequestContext, recordAuditEvent } from "../audit/audit-log";
import { actorMembership, organizationOf } from "../authz";
import { enqueueMail } from "../outbox/outbox";

export const INVITATION_TTL_DAYS = 7;

/** An admin invites someone by email: earlier pending invitations to that address are revoked, the new one is mailed
 *  with a single-use link valid 7 days. ALREADY_MEMBER for an active member. */
export async function inviteMember(
  {
    actor,
    input: raw,
    context,
  }: {
    actor: Actor;
    input: { email: string; role: Exclude<Role, "OWNER">; type: MembershipType };
    context: RequestContext;
  },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
) {
  // The form's rules again (S45), here where every caller passes: the address is trimmed and lowercased, so "Bob@X"
  // and "bob@x" are one address for the member check, the revocation and the one-live-invitation rule.
  const parsed = inviteSchema.safeParse(raw);
  if (!parsed.success) throw inputError(parsed.error.issues, "email");
  const input = parsed.data;
  return inTransaction(tx, async (t) => {
    const admin = await actorMembership(t, actor, ADMINS);
    // One live invitation per address: parallel invitations of the same address (a double click, a script) run one
    // after the other, each revoking the one before (the partial unique index Invitation_live_key is the backstop).
    await lockNames(t, [`invitation:${organizationOf(actor)}:${input.email}`]);
    const existing = await t.membership.findFirst({
      where: { organizationId: organizationOf(actor), status: "ACTIVE", user: { email: input.email } },
    });
    if (existing) throw fieldError("ALREADY_MEMBER", { email: "ALREADY_MEMBER" });
    await t.invitation.updateMany({
      where: { organizationId: organizationOf(actor), email: input.email, acceptedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    const token = randomToken(32);
    const expiresAt = new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000);
    const invitation = await t.invitation.create({
      data: {
        organizationId: organizationOf(actor),
        email: input.email,
        role: input.role,
        type: input.type,
        tokenHash: hashToken(token),
        invitedById: actor.userId,
        expiresAt,
      },
      include: { organization: true, invitedBy: true },
    });
    await recordAuditEvent(t, {
      type: "invitation.sent",
      organizationId: organizationOf(actor),
      actorId: admin.userId,
      context,
      metadata: { email: input.email, role: input.role, type: input.type, invitationId: invitation.id },
    });
    await enqueueMail(t, {
      to: input.email,
      template: "invitation",
      data: {
        organizationName: invitation.organization.name,
        inviterName: invitation.invitedBy.name,
        role: input.role,
        acceptUrl: invitationUrl(token),
        expiresAt: expiresAt.toISOString(),
      },
    });
    return { invitationId: invitation.id, expiresAt };
  });
}
