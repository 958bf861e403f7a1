import { hashPassword } from "../../crypto/password";
import type { Tx } from "../../db";
import { fieldError } from "../../errors";
import { newPasswordField, personalPasswordProblem } from "../../validation/auth";
import { type RequestContext, recordAuditEvent } from "../audit/audit-log";
import { enqueueMail, securityNoticeData } from "../outbox/outbox";
import { revokeUserSessions } from "../sessions/revoke-user-sessions";
import { organizationIdsOf } from "../sign-in/challenge";
import { forgetAllDevicesOf } from "../trusted-access/remembered-devices";

// What a password change and a password reset share (issue 10 items 1 and 2): the rules for the new password, and the
// writes that install it. Second factors are never touched here (S18: a reset never turns 2FA off).

/**
 * The sign-up rules (length, variety) and the person's own email and name, checked again on the server (S45).
 * Throws VALIDATION with the message on `field`; returns the argon2id hash of the new password.
 */
export async function hashNewPassword(
  password: string,
  person: { email: string; name: string },
  field: string,
): Promise<string> {
  const parsed = newPasswordField.safeParse(password);
  const problem = parsed.success
    ? personalPasswordProblem(parsed.data, person)
    : (parsed.error.issues[0]?.message ?? "Choose a stronger password.");
  if (problem) throw fieldError("VALIDATION", { [field]: { text: problem } });
  return hashPassword(password);
}

/**
 * Installs a new password hash in the caller's transaction: sessions are revoked (all of them, or all but
 * `keepSessionId`, S21), half-finished sign-ins started with the old password end, unused reset links are voided, the
 * change is audited in every organization of the user and the user is mailed. Returns how many sessions were revoked.
 */
export async function installNewPassword(
  tx: Tx,
  input: {
    userId: string;
    passwordHash: string;
    keepSessionId: string | null;
    how: "changed" | "reset";
    person: { name: string; email: string };
  },
  context: RequestContext,
  now: Date,
): Promise<number> {
  const { userId, how } = input;
  await tx.user.update({
    where: { id: userId },
    data: { passwordHash: input.passwordHash, sessionVersion: { increment: 1 } },
  });
  const revoked = await revokeUserSessions(
    tx,
    { userId, exceptSessionId: input.keepSessionId, reason: "password_changed" },
    now,
  );
  // A sign-in that passed the old password must not finish (S16: a challenge is the first factor's proof).
  await tx.signInChallenge.updateMany({ where: { userId, consumedAt: null }, data: { consumedAt: now } });
  await tx.passwordResetToken.updateMany({ where: { userId, usedAt: null }, data: { usedAt: now } });
  // S32: a password change or reset forgets every remembered device (issue 11).
  await forgetAllDevicesOf(tx, { userId, reason: how === "reset" ? "password_reset" : "password_changed", context });
  const type = how === "reset" ? "password.reset_completed" : "password.changed";
  const metadata = how === "reset" ? { sessionsRevoked: revoked } : { otherSessionsRevoked: revoked };
  const orgs = await organizationIdsOf(tx, userId);
  for (const organizationId of orgs.length ? orgs : [null]) {
    await recordAuditEvent(tx, { type, organizationId, actorId: userId, targetId: userId, context, metadata });
  }
  await enqueueMail(tx, {
    to: input.person.email,
    template: "password-changed",
    data: { ...securityNoticeData(input.person.name, context, now), how, sessionsRevoked: revoked },
  });
  return revoked;
}
