// Data factories for integration tests: each call creates fresh, unique rows through the real services.
import { randomUUID } from "node:crypto";
import { totpAt } from "@/lib/crypto/totp";
import type { MembershipType, Plan, Role } from "@/lib/db";
import { db } from "@/lib/db";
import { signUp } from "@/lib/services/accounts/sign-up";
import { completeSignIn } from "@/lib/services/sign-in/complete-sign-in";
import { passwordStep } from "@/lib/services/sign-in/password-step";
import { acceptInvitation } from "@/lib/services/teammates/accept-invitation";
import { inviteMember } from "@/lib/services/teammates/invite";
import { confirmTotpEnrollment } from "@/lib/services/two-factor/confirm-enrollment";
import { startTotpEnrollment } from "@/lib/services/two-factor/enrollment";
import { mailData } from "./mail";

export const PASSWORD = "correct horse battery staple";
export const ctx = { ip: "127.0.0.1", userAgent: "vitest" };

export function uniqueEmail(tag = "user"): string {
  return `${tag}-${randomUUID().slice(0, 8)}@example.test`;
}

export async function createOrgWithOwner(opts: { plan?: Plan; name?: string } = {}) {
  const email = uniqueEmail("owner");
  const r = await signUp({
    input: {
      name: "Owner Person",
      email,
      password: PASSWORD,
      organizationName: opts.name ?? `Org ${randomUUID().slice(0, 6)}`,
      plan: opts.plan,
    },
    context: ctx,
  });
  return {
    userId: r.userId,
    organizationId: r.organizationId,
    email,
    actor: { userId: r.userId, organizationId: r.organizationId, sessionId: null },
  };
}

/** The raw token of the newest invitation mail to `email` (read from the outbox, as a person reads their inbox). */
export async function invitationTokenFor(email: string): Promise<string> {
  const mail = await db.outboxMessage.findFirst({
    where: { to: email, template: "invitation" },
    orderBy: { createdAt: "desc" },
  });
  const url = String(mailData<{ acceptUrl?: string }>(mail).acceptUrl ?? "");
  const token = url.split("/invite/")[1];
  if (!token) throw new Error(`no invitation mail for ${email}`);
  return token;
}

export async function addMember(
  owner: { userId: string; organizationId: string },
  opts: { role?: Exclude<Role, "OWNER">; type?: MembershipType; email?: string; name?: string } = {},
) {
  const email = opts.email ?? uniqueEmail(opts.role === "ADMIN" ? "admin" : "member");
  const inviter = { userId: owner.userId, organizationId: owner.organizationId, sessionId: null };
  await inviteMember({
    actor: inviter,
    input: { email, role: opts.role ?? "MEMBER", type: opts.type ?? "EMPLOYEE" },
    context: ctx,
  });
  const token = await invitationTokenFor(email);
  const r = await acceptInvitation({
    input: { token, name: opts.name ?? "Team Mate", password: PASSWORD },
    context: ctx,
  });
  const membership = await db.membership.findUniqueOrThrow({
    where: { organizationId_userId: { organizationId: owner.organizationId, userId: r.userId } },
  });
  return {
    userId: r.userId,
    email,
    membershipId: membership.id,
    actor: { userId: r.userId, organizationId: owner.organizationId, sessionId: null },
  };
}

/** Signs `p` in (password step + completed challenge) and returns the new session's id. */
export async function signIn(p: { email: string }, now = new Date()): Promise<string> {
  const { challengeToken } = await passwordStep(
    { input: { email: p.email, password: PASSWORD }, context: ctx },
    { tx: db, now },
  );
  const { sessionId } = await completeSignIn({ input: { challengeToken }, context: ctx }, { now });
  return sessionId;
}

/**
 * Signs `p` in and turns on 2FA through the real services; the enrollment marks that session as having passed 2FA at
 * `now`. Enrolling never counts as a step-up (S39), so unless `stepUp: false`, the session's step-up time is set to
 * `now` as well, as a sign-in with this new factor would (the admin tests act from such a session).
 */
export async function withTwoFactor<P extends { userId: string; email: string }>(
  p: P,
  now = new Date(),
  opts: { stepUp?: boolean } = {},
) {
  const sessionId = await signIn(p, now);
  const enrollment = await startTotpEnrollment(
    { actor: { userId: p.userId, sessionId, organizationId: null }, context: ctx },
    { now },
  );
  const secret = new URL(enrollment.otpauthUri).searchParams.get("secret") ?? "";
  const { recoveryCodes } = await confirmTotpEnrollment(
    {
      actor: { userId: p.userId, sessionId, organizationId: null },
      input: { password: PASSWORD, code: totpAt(secret, { time: now.getTime() }) },
      context: ctx,
    },
    { now },
  );
  if (opts.stepUp !== false) await db.session.update({ where: { id: sessionId }, data: { stepUpAt: now } });
  return { ...p, sessionId, secret, recoveryCodes };
}

/**
 * `p` acting through a fresh session that passed a second-factor check at `at` (S26, S42): for tests of admin actions
 * whose subject is not the step-up itself. The step-up time is written as a sign-in or stepUp() with a code would.
 */
export async function steppedUp(
  p: { email: string; actor: { userId: string; organizationId: string } },
  at = new Date(),
) {
  const sessionId = await signIn(p, at);
  await db.session.update({ where: { id: sessionId }, data: { stepUpAt: at } });
  return { ...p.actor, sessionId };
}
