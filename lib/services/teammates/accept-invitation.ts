import { type Actor, ADMINS } from "../../auth/actor";
import { hashPassword } from "../../crypto/password";
import { hashToken, randomToken } from "../../crypto/tokens";
import type { MembershipType, Role } from "../../db";
import { db, inTransaction, type Tx } from "../../db";
import { DomainError } from "../../errors";
import { invitationUrl } from "../../urls";
import { nameField, newPasswordField } from "../../validation/auth";
import { type RequestContext, recordAuditEvent } from "../audit/audit-log";
import { actorMembership, organizationOf } from "../authz";
import { enqueueMail } from "../outbox/outbox";
import { createChallenge } from "../sign-in/challenge";
import { checkPasswordThrottled } from "../sign-in/password-check";

export const INVITATION_TTL_DAYS = 7;

export async function inviteMember(
  actor: Actor,
  input: { email: string; role: Exclude<Role, "OWNER">; type: MembershipType },
  context: RequestContext,
  tx: Tx = db,
  now = new Date(),
) {
  return inTransaction(tx, async (t) => {
    const admin = await actorMembership(t, actor, ADMINS);
    const existing = await t.membership.findFirst({
      where: { organizationId: organizationOf(actor), status: "ACTIVE", user: { email: input.email } },
    });
    if (existing) throw new DomainError("ALREADY_MEMBER", { fields: { email: "This person is already a member." } });
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

function invitationState(inv: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now: Date) {
  if (inv.acceptedAt) return "INVITATION_USED" as const;
  if (inv.revokedAt) return "INVITATION_INVALID" as const;
  if (inv.expiresAt <= now) return "INVITATION_EXPIRED" as const;
  return null;
}

/** What the accept page shows; throws a clear DomainError for unknown, used, revoked or expired links. */
export async function describeInvitation(token: string, tx: Tx = db, now = new Date()) {
  const inv = await tx.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
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

/**
 * Accepts an invitation exactly once: a new account sets name + password, an existing one proves its password.
 * Returns a sign-in challenge token (the browser completes sign-in through next-auth).
 */
export async function acceptInvitation(
  input: { token: string; name?: string; password: string },
  context: RequestContext,
  tx: Tx = db,
  now = new Date(),
) {
  const inv = await tx.invitation.findUnique({ where: { tokenHash: hashToken(input.token) } });
  if (!inv) throw new DomainError("INVITATION_INVALID");
  const problem = invitationState(inv, now);
  if (problem) throw new DomainError(problem);
  const existing = await tx.user.findUnique({ where: { email: inv.email }, omit: { passwordHash: false } });
  let newUser: { name: string; passwordHash: string } | null = null;
  if (existing) {
    // Throttled exactly like the sign-in password step (S36, issue 9 item 11).
    await checkPasswordThrottled(
      { email: existing.email, password: input.password, account: existing, purpose: "invitation" },
      context,
      now,
      () =>
        new DomainError("INVALID_CREDENTIALS", { fields: { password: "That is not the password of this account." } }),
      async () => undefined,
    );
  } else {
    const name = nameField.safeParse(input.name ?? "");
    const password = newPasswordField.safeParse(input.password);
    if (!name.success || !password.success) {
      const fields: Record<string, string> = {};
      if (!name.success) fields.name = name.error.issues[0]?.message ?? "Enter your name.";
      if (!password.success) fields.password = password.error.issues[0]?.message ?? "Choose a stronger password.";
      throw new DomainError("VALIDATION", { fields });
    }
    newUser = { name: name.data, passwordHash: await hashPassword(password.data) };
  }

  return inTransaction(tx, async (t) => {
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
    const challenge = await createChallenge(t, user.id, context, now);
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
}

export async function revokeInvitation(actor: Actor, invitationId: string, context: RequestContext, tx: Tx = db) {
  return inTransaction(tx, async (t) => {
    await actorMembership(t, actor, ADMINS);
    const { count } = await t.invitation.updateMany({
      where: { id: invitationId, organizationId: organizationOf(actor), acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (count !== 1) throw new DomainError("NOT_FOUND");
    await recordAuditEvent(t, {
      type: "invitation.revoked",
      organizationId: organizationOf(actor),
      actorId: actor.userId,
      context,
      metadata: { invitationId },
    });
  });
}

export async function listPendingInvitations(actor: Actor, tx: Tx = db, now = new Date()) {
  await actorMembership(tx, actor, ADMINS);
  const rows = await tx.invitation.findMany({
    where: { organizationId: organizationOf(actor), acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    include: { invitedBy: { select: { name: true } } },
    orderBy: { createdAt: "desc" },
  });
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    role: r.role,
    type: r.type,
    invitedBy: r.invitedBy.name,
    expiresAt: r.expiresAt,
    createdAt: r.createdAt,
  }));
}
