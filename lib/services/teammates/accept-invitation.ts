import { hashPassword } from "../../crypto/password";
import { hashToken } from "../../crypto/tokens";
import { db, inTransaction, isUniqueViolation, type Tx } from "../../db";
import { DomainError, fieldError } from "../../errors";
import { nameField, newPasswordField } from "../../validation/auth";
import { type RequestContext, recordAuditEvent } from "../audit/audit-log";
import { createChallenge } from "../sign-in/challenge";
import { checkPasswordThrottled } from "../sign-in/password-check";
import { invitationState } from "./describe-invitation";

/**
 * Accepts an invitation exactly once: a new account sets name + password, an existing one proves its password.
 * Returns a sign-in challenge token (the browser completes sign-in through next-auth).
 */
export async function acceptInvitation(
  { input, context }: { input: { token: string; name?: string; password: string }; context: RequestContext },
  { tx = db, now = new Date() }: { tx?: Tx; now?: Date } = {},
) {
  const inv = await tx.invitation.findUnique({ where: { tokenHash: hashToken(input.token) } });
  if (!inv) throw new DomainError("INVITATION_INVALID");
  const problem = invitationState(inv, now);
  if (problem) throw new DomainError(problem);
  const existing = await tx.user.findUnique({ where: { email: inv.email }, omit: { passwordHash: false } });
  let newUser: { name: string; passwordHash: string } | null = null;
  if (existing) {
    // Throttled exactly like the sign-in password step (S36: attempts are throttled and reserved before the check;
    // issue 9 item 11).
    await checkPasswordThrottled(
      { email: existing.email, password: input.password, account: existing, purpose: "invitation" },
      context,
      now,
      () => fieldError("INVALID_CREDENTIALS", { password: "ACCOUNT_PASSWORD_WRONG" }),
      async () => undefined,
    );
  } else {
    const name = nameField.safeParse(input.name ?? "");
    const password = newPasswordField.safeParse(input.password);
    if (!name.success || !password.success) {
      const fields: Parameters<typeof fieldError>[1] = {};
      if (!name.success) {
        const text = name.error.issues[0]?.message;
        fields.name = text !== undefined ? { text } : "NAME_REQUIRED";
      }
      if (!password.success) {
        const text = password.error.issues[0]?.message;
        fields.password = text !== undefined ? { text } : "PASSWORD_TOO_WEAK";
      }
      throw fieldError("VALIDATION", fields);
    }
    newUser = { name: name.data, passwordHash: await hashPassword(password.data) };
  }

  try {
    return await inTransaction(tx, async (t) => {
      // Single use: only one request can flip acceptedAt.
      const { count } = await t.invitation.updateMany({
        where: { id: inv.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
        data: { acceptedAt: now },
      });
      if (count !== 1) throw new DomainError("INVITATION_USED");
      const user =
        existing ??
        (await t.user.create({ data: { email: inv.email, name: newUser!.name, passwordHash: newUser!.passwordHash } }));
      await t.membership.upsert({
        where: { organizationId_userId: { organizationId: inv.organizationId, userId: user.id } },
        create: { organizationId: inv.organizationId, userId: user.id, role: inv.role, type: inv.type },
        update: { status: "ACTIVE", role: inv.role, type: inv.type },
      });
      await recordAuditEvent(t, {
        type: "invitation.accepted",
        organizationId: inv.organizationId,
        actorId: user.id,
        targetId: user.id,
        context,
        metadata: { invitationId: inv.id, role: inv.role, type: inv.type, newAccount: !existing },
      });
      const challenge = await createChallenge(t, user.id, context, now, "invitation");
      const org = await t.organization.findUniqueOrThrow({
        where: { id: inv.organizationId },
        select: { requireTwoFactor: true },
      });
      return {
        userId: user.id,
        organizationId: inv.organizationId,
        challengeToken: challenge.token,
        requirement: challenge.requirement,
        organizationRequiresTwoFactor: org.requireTwoFactor,
      };
    });
  } catch (e) {
    // Two invitations to one new address (two organizations) accepted at the same moment: the other acceptance
    // created the account first, so this one rolled back whole. The invitation is still usable, with that password.
    if (!existing && isUniqueViolation(e, "email")) throw new DomainError("ACCOUNT_CREATED_MEANWHILE");
    throw e;
  }
}
