import { hashToken } from "../../crypto/tokens";
import { db, type Tx } from "../../db";
import { DomainError } from "../../errors";

/** Why an invitation can no longer be accepted (the error code), or null while it can. */
export function invitationState(inv: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now: Date) {
  if (inv.acceptedAt) return "INVITATION_USED" as const;
  if (inv.revokedAt) return "INVITATION_INVALID" as const;
  if (inv.expiresAt <= now) return "INVITATION_EXPIRED" as const;
  return null;
}

/** What the accept page shows; throws a clear DomainError for unknown, used, revoked or expired links. */
export async function describeInvitation(
  { input }: { input: { token: string } },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
) {
  const inv = await tx.invitation.findUnique({
    where: { tokenHash: hashToken(input.token) },
    include: { organization: true, invitedBy: true },
  });
  if (!inv) throw new DomainError("INVITATION_INVALID");
  const problem = invitationState(inv, now);
  if (problem) throw new DomainError(problem);
  const user = await tx.user.findUnique({ where: { email: inv.email }, select: { id: true, signInMethod: true } });
  return {
    email: inv.email,
    organizationName: inv.organization.name,
    inviterName: inv.invitedBy.name,
    role: inv.role,
    type: inv.type,
    existingAccount: Boolean(user),
    expiresAt: inv.expiresAt,
  };
}
