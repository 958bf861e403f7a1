// S37: every multi-write use case is atomic. For each one, a PostgreSQL trigger makes the use case's LAST write fail
// (the audit row, the outbox mail, the challenge or the last table it touches), on the real `db` object the app uses.
// The call must fail with a clean error (the generic message, never the database's text), leave no row of the use
// case behind and change none; once the fault is removed, the very same call succeeds (so the fault, and nothing
// else, stopped it — and e.g. a TOTP code or an invitation was not used up by the failed attempt).
import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  addMember,
  createOrgWithOwner,
  ctx,
  invitationTokenFor,
  PASSWORD,
  signIn,
  uniqueEmail,
  withTwoFactor,
} from "@/test/factories";
import { footprint, injectFault } from "@/test/fault";
import { mailData } from "@/test/mail";
import { toActionError } from "../actions/action-client";
import { totpAt } from "../crypto/totp";
import { db } from "../db";
import { errorMessages, isDomainError } from "../errors";
import { changePassword } from "./accounts/change-password";
import { requestPasswordReset } from "./accounts/request-password-reset";
import { resetPassword } from "./accounts/reset-password";
import { signUp } from "./accounts/sign-up";
import type { RequestContext } from "./audit/audit-log";
import { saveTwoFactorPolicy } from "./org-policy/change";
import { grantTwoFactorExemption, revokeTwoFactorExemption } from "./org-policy/exemptions";
import { setRecoveryCodeAlert } from "./org-policy/recovery-code-alert-setting";
import { sendTwoFactorReminder } from "./org-policy/reminders";
import { createSession } from "./sessions/create-session";
import { revokeOwnSession } from "./sessions/revoke-own-session";
import { signOutOtherSessions } from "./sessions/sign-out-other-sessions";
import { signOutSession } from "./sessions/sign-out-session";
import { completeSignIn } from "./sign-in/complete-sign-in";
import { passwordStep } from "./sign-in/password-step";
import { ssoSignIn } from "./sign-in/sso-sign-in";
import { acceptInvitation } from "./teammates/accept-invitation";
import { inviteMember } from "./teammates/invite";
import { issueRecoveryCodesForTeammate } from "./teammates/issue-teammate-recovery-codes";
import { resetTeammateTwoFactor } from "./teammates/reset-teammate-two-factor";
import { revokeInvitation } from "./teammates/revoke-invitation";
import { signOutTeammateEverywhere } from "./teammates/sign-out-teammate";
import { changeRole } from "./teammates/teammates";
import { transferOwnership } from "./teammates/transfer-ownership";
import { confirmTotpEnrollment } from "./two-factor/confirm-enrollment";
import { disableTwoFactor } from "./two-factor/disable";
import { sendEnrollmentEmailCode } from "./two-factor/email-codes";
import { startTotpEnrollment } from "./two-factor/enrollment";
import { createReEnrollmentToken, signInWithReEnrollmentToken } from "./two-factor/re-enrollment";
import { regenerateRecoveryCodes } from "./two-factor/recovery";
import { dismissTwoFactorSuggestion } from "./two-factor/status";
import { stepUp } from "./two-factor/step-up";

interface Prepared {
  /** The table whose write fails: the use case's last write. */
  table: string;
  /** Rows to watch, besides the request's marker: ids and emails of everyone involved. */
  needles: string[];
  /** Only rows containing this fail (default: the request's marker, carried in the user agent). */
  faultMarker?: string;
  run: (context: RequestContext) => Promise<unknown>;
}

const SECOND = 1000;
const later = (t: Date, ms: number) => new Date(t.getTime() + ms);
const codeAt = (secret: string, t: Date) => totpAt(secret, { time: t.getTime() });

/** An owner (2FA, Professional plan) and a teammate, both with 2FA; the owner's session passed a step-up at `t1`. */
async function orgWithAdminAndTeammate(opts: { teammateTwoFactor?: boolean } = {}) {
  const t0 = new Date();
  const base = await createOrgWithOwner({ plan: "PROFESSIONAL" });
  const owner = await withTwoFactor(base, t0);
  const teammateBase = await addMember(base.actor, { name: "Tara Teammate" });
  const teammate = opts.teammateTwoFactor === false ? teammateBase : await withTwoFactor(teammateBase, t0);
  const t1 = later(t0, 30 * SECOND);
  await stepUp(
    {
      actor: { userId: owner.userId, sessionId: owner.sessionId, organizationId: null },
      input: { method: "totp", code: codeAt(owner.secret, t1) },
      context: ctx,
    },
    { now: t1 },
  );
  const admin = { userId: owner.userId, organizationId: base.organizationId, sessionId: owner.sessionId };
  const needles = [owner.userId, owner.email, teammate.userId, teammate.email, base.organizationId];
  return { t0, t1, owner, teammate, admin, needles, organizationId: base.organizationId };
}

const cases: Array<[string, () => Promise<Prepared>]> = [
  [
    "sign-up (user, organization, membership, audit rows, welcome mail, challenge)",
    async () => {
      const email = uniqueEmail("signup");
      const organizationName = `Atomic ${randomUUID().slice(0, 8)}`;
      return {
        table: "SignInChallenge",
        needles: [email, organizationName],
        run: (c) =>
          signUp({ input: { name: "Sally Signup", email, password: PASSWORD, organizationName }, context: c }),
      };
    },
  ],
  [
    "invitation acceptance, new account (invitation used, user, membership, audit, challenge)",
    async () => {
      const owner = await createOrgWithOwner();
      const email = uniqueEmail("invitee");
      await inviteMember({ actor: owner.actor, input: { email, role: "MEMBER", type: "EMPLOYEE" }, context: ctx });
      const token = await invitationTokenFor(email);
      return {
        table: "SignInChallenge",
        needles: [email, owner.organizationId],
        run: (c) => acceptInvitation({ input: { token, name: "Ivy Invitee", password: PASSWORD }, context: c }),
      };
    },
  ],
  [
    "invitation acceptance, existing account (invitation used, membership, audit, challenge)",
    async () => {
      const owner = await createOrgWithOwner();
      const existing = await createOrgWithOwner();
      await inviteMember({
        actor: owner.actor,
        input: { email: existing.email, role: "ADMIN", type: "EMPLOYEE" },
        context: ctx,
      });
      const token = await invitationTokenFor(existing.email);
      return {
        table: "SignInChallenge",
        needles: [existing.email, existing.userId, owner.organizationId],
        run: (c) => acceptInvitation({ input: { token, password: PASSWORD }, context: c }),
      };
    },
  ],
  [
    "password step (failure counter cleared, challenge)",
    async () => {
      const owner = await createOrgWithOwner();
      await expect(
        passwordStep({ input: { email: owner.email, password: "not the password" }, context: ctx }),
      ).rejects.toMatchObject({
        code: "INVALID_CREDENTIALS",
      });
      return {
        table: "SignInChallenge",
        needles: [owner.userId, owner.email],
        run: (c) => passwordStep({ input: { email: owner.email, password: PASSWORD }, context: c }),
      };
    },
  ],
  [
    "sign-in completion, password only (challenge used, session, last sign-in, audit)",
    async () => {
      const owner = await createOrgWithOwner();
      const { challengeToken } = await passwordStep({
        input: { email: owner.email, password: PASSWORD },
        context: ctx,
      });
      return {
        table: "AuditEvent",
        needles: [owner.userId, owner.email],
        run: (c) => completeSignIn({ input: { challengeToken }, context: c }),
      };
    },
  ],
  [
    "sign-in completion with an authenticator code (code used, challenge used, session, audit)",
    async () => {
      const t0 = new Date();
      const owner = await withTwoFactor(await createOrgWithOwner(), t0);
      const t1 = later(t0, 30 * SECOND);
      const { challengeToken } = await passwordStep(
        { input: { email: owner.email, password: PASSWORD }, context: ctx },
        { tx: db, now: t1 },
      );
      const code = codeAt(owner.secret, t1);
      return {
        table: "AuditEvent",
        needles: [owner.userId, owner.email],
        run: (c) =>
          completeSignIn(
            { input: { challengeToken, secondFactor: { method: "totp", code } }, context: c },
            { now: t1 },
          ),
      };
    },
  ],
  [
    "sign-in completion with a recovery code (code used, mail, challenge used, session, audit)",
    async () => {
      const owner = await withTwoFactor(await createOrgWithOwner());
      const { challengeToken } = await passwordStep({
        input: { email: owner.email, password: PASSWORD },
        context: ctx,
      });
      const code = owner.recoveryCodes[0] ?? "";
      return {
        table: "AuditEvent",
        needles: [owner.userId, owner.email],
        run: (c) =>
          completeSignIn({ input: { challengeToken, secondFactor: { method: "recovery", code } }, context: c }),
      };
    },
  ],
  [
    "step-up (code used, session marked verified)",
    async () => {
      const t0 = new Date();
      const owner = await withTwoFactor(await createOrgWithOwner(), t0);
      const t1 = later(t0, 30 * SECOND);
      const code = codeAt(owner.secret, t1);
      return {
        table: "Session",
        faultMarker: owner.sessionId,
        needles: [owner.userId, owner.email],
        run: (c) =>
          stepUp(
            {
              actor: { userId: owner.userId, sessionId: owner.sessionId, organizationId: null },
              input: { method: "totp", code },
              context: c,
            },
            { now: t1 },
          ),
      };
    },
  ],
  [
    "role change (membership, audit)",
    async () => {
      // Promotion weakens security: the owner has stepped up (S42).
      const owner = await withTwoFactor(await createOrgWithOwner());
      const member = await addMember(owner.actor);
      return {
        table: "AuditEvent",
        needles: [owner.userId, member.userId, owner.organizationId],
        run: (c) =>
          changeRole({
            actor: { ...owner.actor, sessionId: owner.sessionId },
            input: { membershipId: member.membershipId, role: "ADMIN" },
            context: c,
          }),
      };
    },
  ],
  [
    "invitation, replacing an earlier one (old revoked, new invitation, audit, mail)",
    async () => {
      const owner = await createOrgWithOwner();
      const email = uniqueEmail("reinvite");
      await inviteMember({ actor: owner.actor, input: { email, role: "MEMBER", type: "EMPLOYEE" }, context: ctx });
      return {
        table: "OutboxMessage",
        faultMarker: email,
        needles: [email, owner.organizationId],
        run: (c) =>
          inviteMember({ actor: owner.actor, input: { email, role: "ADMIN", type: "CONTRACTOR" }, context: c }),
      };
    },
  ],
  [
    "invitation revocation (invitation, audit)",
    async () => {
      const owner = await createOrgWithOwner();
      const email = uniqueEmail("revoked");
      const { invitationId } = await inviteMember({
        actor: owner.actor,
        input: { email, role: "MEMBER", type: "EMPLOYEE" },
        context: ctx,
      });
      return {
        table: "AuditEvent",
        needles: [email, owner.organizationId],
        run: (c) => revokeInvitation({ actor: owner.actor, input: { invitationId }, context: c }),
      };
    },
  ],
  [
    "revoking one of one's sessions (session, audit)",
    async () => {
      const owner = await createOrgWithOwner();
      const sessionId = await signIn(owner);
      return {
        table: "AuditEvent",
        needles: [owner.userId, sessionId],
        run: (c) =>
          revokeOwnSession({ actor: { userId: owner.userId, sessionId: null }, input: { sessionId }, context: c }),
      };
    },
  ],
  [
    "signing out (session, audit)",
    async () => {
      const owner = await createOrgWithOwner();
      const sessionId = await signIn(owner);
      return {
        table: "AuditEvent",
        needles: [owner.userId, sessionId],
        run: (c) => signOutSession({ input: { sessionId }, context: c }),
      };
    },
  ],
  [
    "signing out every other session (sessions, audit)",
    async () => {
      const owner = await createOrgWithOwner();
      const current = await signIn(owner);
      await signIn(owner);
      await signIn(owner);
      return {
        table: "AuditEvent",
        needles: [owner.userId],
        run: (c) => signOutOtherSessions({ actor: { userId: owner.userId, sessionId: current }, context: c }),
      };
    },
  ],
  [
    "organization 2FA requirement, sign out now (policy, sessions revoked, mails, audit)",
    async () => {
      const owner = await withTwoFactor(await createOrgWithOwner({ plan: "PROFESSIONAL" }));
      const member = await addMember(owner.actor);
      await signIn(member);
      const { policyVersion } = await db.organization.findUniqueOrThrow({ where: { id: owner.organizationId } });
      return {
        table: "AuditEvent",
        needles: [owner.userId, member.userId, member.email, owner.organizationId],
        run: (c) =>
          saveTwoFactorPolicy({
            actor: { ...owner.actor, sessionId: owner.sessionId },
            input: {
              requireTwoFactor: true,
              mode: "NOW",
              confirmSoleAdmin: true,
              exemptSso: true,
              allowedMethods: ["TOTP"],
              expectedVersion: policyVersion,
            },
            context: c,
          }),
      };
    },
  ],
  [
    "admin reset of a teammate's 2FA (factor, codes, sessions, challenges, link, audit, mail)",
    async () => {
      const w = await orgWithAdminAndTeammate();
      const membershipId = (await addMemberId(w.organizationId, w.teammate.userId)) as string;
      return {
        table: "OutboxMessage",
        faultMarker: w.teammate.email,
        needles: w.needles,
        run: (c) => resetTeammateTwoFactor({ actor: w.admin, input: { membershipId }, context: c }, { now: w.t1 }),
      };
    },
  ],
  [
    "admin signing a teammate out everywhere (sessions, challenges, session version, audit, mail)",
    async () => {
      const w = await orgWithAdminAndTeammate();
      const membershipId = (await addMemberId(w.organizationId, w.teammate.userId)) as string;
      return {
        table: "OutboxMessage",
        faultMarker: w.teammate.email,
        needles: w.needles,
        run: (c) => signOutTeammateEverywhere({ actor: w.admin, input: { membershipId }, context: c }, { now: w.t1 }),
      };
    },
  ],
  [
    "admin issuing a teammate's recovery codes (codes, audit, mail)",
    async () => {
      const w = await orgWithAdminAndTeammate();
      const membershipId = (await addMemberId(w.organizationId, w.teammate.userId)) as string;
      return {
        table: "OutboxMessage",
        faultMarker: w.teammate.email,
        needles: w.needles,
        run: (c) =>
          issueRecoveryCodesForTeammate({ actor: w.admin, input: { membershipId }, context: c }, { now: w.t1 }),
      };
    },
  ],
  [
    "granting an exemption (membership, audit, mail)",
    async () => {
      const w = await orgWithAdminAndTeammate({ teammateTwoFactor: false });
      const membershipId = (await addMemberId(w.organizationId, w.teammate.userId)) as string;
      return {
        table: "AuditEvent",
        needles: w.needles,
        run: (c) =>
          grantTwoFactorExemption(
            { actor: w.admin, input: { membershipId, days: 7, reason: "Phone in repair" }, context: c },
            { now: w.t1 },
          ),
      };
    },
  ],
  [
    "ending an exemption (membership, audit, mail)",
    async () => {
      const w = await orgWithAdminAndTeammate({ teammateTwoFactor: false });
      const membershipId = (await addMemberId(w.organizationId, w.teammate.userId)) as string;
      await grantTwoFactorExemption(
        { actor: w.admin, input: { membershipId, days: 7, reason: "Phone in repair" }, context: ctx },
        { now: w.t1 },
      );
      return {
        table: "AuditEvent",
        needles: w.needles,
        run: (c) => revokeTwoFactorExemption({ actor: w.admin, input: { membershipId }, context: c }, { now: w.t1 }),
      };
    },
  ],
  [
    "turning off the admins' recovery-code alert (organization, audit)",
    async () => {
      const w = await orgWithAdminAndTeammate({ teammateTwoFactor: false });
      return {
        table: "AuditEvent",
        needles: w.needles,
        run: (c) => setRecoveryCodeAlert({ actor: w.admin, input: { enabled: false }, context: c }, { now: w.t1 }),
      };
    },
  ],
  [
    "2FA reminder (membership, mail, audit)",
    async () => {
      const w = await orgWithAdminAndTeammate({ teammateTwoFactor: false });
      const membershipId = (await addMemberId(w.organizationId, w.teammate.userId)) as string;
      return {
        table: "AuditEvent",
        needles: w.needles,
        run: (c) => sendTwoFactorReminder({ actor: w.admin, input: { membershipId }, context: c }, { now: w.t1 }),
      };
    },
  ],
  [
    "ownership transfer (code used, both memberships, audit, two mails)",
    async () => {
      const t0 = new Date();
      const base = await createOrgWithOwner({ plan: "PROFESSIONAL" });
      const owner = await withTwoFactor(base, t0);
      const admin = await withTwoFactor(await addMember(base.actor, { role: "ADMIN" }), t0);
      const t1 = later(t0, 30 * SECOND);
      const code = codeAt(owner.secret, t1);
      return {
        table: "OutboxMessage",
        faultMarker: owner.email,
        needles: [owner.userId, owner.email, admin.userId, admin.email, base.organizationId],
        run: (c) =>
          transferOwnership(
            { actor: base.actor, input: { membershipId: admin.membershipId, password: PASSWORD, code }, context: c },
            { now: t1 },
          ),
      };
    },
  ],
  [
    "starting enrollment (pending enrollment, audit)",
    async () => {
      const owner = await createOrgWithOwner();
      const sessionId = await signIn(owner);
      return {
        table: "AuditEvent",
        needles: [owner.userId],
        run: (c) =>
          startTotpEnrollment({ actor: { userId: owner.userId, sessionId, organizationId: null }, context: c }),
      };
    },
  ],
  [
    "confirming enrollment (enrollment used, factor, recovery codes, sessions, audit, mail)",
    async () => {
      const owner = await createOrgWithOwner();
      const sessionId = await signIn(owner);
      await signIn(owner);
      const actor = { userId: owner.userId, sessionId, organizationId: null };
      const enrollment = await startTotpEnrollment({ actor, context: ctx });
      const secret = new URL(enrollment.otpauthUri).searchParams.get("secret") ?? "";
      const now = new Date();
      return {
        table: "OutboxMessage",
        needles: [owner.userId, owner.email],
        run: (c) =>
          confirmTotpEnrollment(
            { actor, input: { password: PASSWORD, code: codeAt(secret, now) }, context: c },
            { now },
          ),
      };
    },
  ],
  [
    "regenerating recovery codes (code used, codes, sessions, audit, mail)",
    async () => {
      const t0 = new Date();
      const owner = await withTwoFactor(await createOrgWithOwner(), t0);
      await createSession(db, { userId: owner.userId, authMethod: "password+totp", context: ctx }, t0);
      const t1 = later(t0, 30 * SECOND);
      const code = codeAt(owner.secret, t1);
      const actor = { userId: owner.userId, sessionId: owner.sessionId, organizationId: null };
      return {
        table: "OutboxMessage",
        needles: [owner.userId, owner.email],
        run: (c) =>
          regenerateRecoveryCodes(
            { actor, input: { password: PASSWORD, method: "totp", code }, context: c },
            { now: t1 },
          ),
      };
    },
  ],
  [
    "turning 2FA off (code used, factor, codes, sessions, audit, mail)",
    async () => {
      const t0 = new Date();
      const owner = await withTwoFactor(await createOrgWithOwner(), t0);
      await createSession(db, { userId: owner.userId, authMethod: "password+totp", context: ctx }, t0);
      const t1 = later(t0, 30 * SECOND);
      const code = codeAt(owner.secret, t1);
      const actor = { userId: owner.userId, sessionId: owner.sessionId, organizationId: null };
      return {
        table: "OutboxMessage",
        needles: [owner.userId, owner.email],
        run: (c) =>
          disableTwoFactor({ actor, input: { method: "totp", code, password: PASSWORD }, context: c }, { now: t1 }),
      };
    },
  ],
  [
    "dismissing the 2FA suggestion (user, audit)",
    async () => {
      const owner = await createOrgWithOwner();
      return {
        table: "AuditEvent",
        needles: [owner.userId],
        run: (c) => dismissTwoFactorSuggestion({ actor: owner, context: c }),
      };
    },
  ],
  [
    "enrollment email code (older codes voided, code, mail, audit)",
    async () => {
      const owner = await createOrgWithOwner();
      const t0 = new Date();
      await sendEnrollmentEmailCode({ actor: owner, context: ctx }, { now: t0 });
      return {
        table: "AuditEvent",
        needles: [owner.userId, owner.email],
        run: (c) => sendEnrollmentEmailCode({ actor: owner, context: c }, { now: later(t0, 120 * SECOND) }),
      };
    },
  ],
  [
    "SSO provisioning (user, membership, audit, challenge)",
    async () => {
      const owner = await createOrgWithOwner({ plan: "PROFESSIONAL" });
      const { slug } = await db.organization.findUniqueOrThrow({ where: { id: owner.organizationId } });
      const email = uniqueEmail("sso");
      const subject = `sub-${randomUUID()}`;
      return {
        table: "SignInChallenge",
        needles: [email, subject, owner.organizationId],
        run: (c) =>
          ssoSignIn(
            { input: { email, emailVerified: true, name: "Sam Sso", subject }, context: c },
            { now: new Date(), organizationSlug: slug },
          ),
      };
    },
  ],
  [
    "re-enrollment link (link used, audit, challenge)",
    async () => {
      const owner = await createOrgWithOwner();
      const member = await addMember(owner.actor);
      const { token } = await db.$transaction((tx) =>
        createReEnrollmentToken(
          tx,
          { userId: member.userId, organizationId: owner.organizationId, createdById: owner.userId },
          new Date(),
        ),
      );
      return {
        table: "SignInChallenge",
        needles: [member.userId, member.email],
        run: (c) => signInWithReEnrollmentToken({ input: { token, password: PASSWORD }, context: c }),
      };
    },
  ],
  [
    "password change with an app code (code used, password, other sessions, challenges, links, audit, mail)",
    async () => {
      const t0 = new Date();
      const owner = await withTwoFactor(await createOrgWithOwner(), t0);
      await createSession(db, { userId: owner.userId, authMethod: "password+totp", context: ctx }, t0);
      const t1 = later(t0, 30 * SECOND);
      const code = codeAt(owner.secret, t1);
      const actor = { userId: owner.userId, sessionId: owner.sessionId, organizationId: null };
      return {
        table: "OutboxMessage",
        faultMarker: owner.email,
        needles: [owner.userId, owner.email],
        run: (c) =>
          changePassword(
            {
              actor,
              input: { currentPassword: PASSWORD, newPassword: "a brand new passphrase 42", method: "totp", code },
              context: c,
            },
            { now: t1 },
          ),
      };
    },
  ],
  [
    "password reset request (throttle counts, link, audit, mail)",
    async () => {
      const owner = await createOrgWithOwner();
      return {
        table: "OutboxMessage",
        faultMarker: owner.email,
        needles: [owner.userId, owner.email],
        run: (c) => requestPasswordReset({ input: { email: owner.email }, context: c }),
      };
    },
  ],
  [
    "password reset with the emailed link (link used, password, sessions, challenges, lockout cleared, audit, mail)",
    async () => {
      const owner = await withTwoFactor(await createOrgWithOwner());
      await requestPasswordReset({ input: { email: owner.email }, context: ctx });
      const mail = await db.outboxMessage.findFirstOrThrow({ where: { to: owner.email, template: "password-reset" } });
      const token = String(mailData<{ resetUrl?: string }>(mail).resetUrl ?? "").split("/reset-password/")[1] ?? "";
      return {
        table: "OutboxMessage",
        faultMarker: owner.email,
        needles: [owner.userId, owner.email],
        run: (c) => resetPassword({ input: { token, password: "a brand new passphrase 42" }, context: c }),
      };
    },
  ],
];

async function addMemberId(organizationId: string, userId: string): Promise<string | undefined> {
  const m = await db.membership.findUnique({ where: { organizationId_userId: { organizationId, userId } } });
  return m?.id;
}

describe("S37: a fault in the last write of a use case leaves nothing behind", () => {
  it.each(cases)("%s", async (_name, prepare) => {
    const p = await prepare();
    const marker = `fault-${randomBytes(8).toString("hex")}`;
    const context: RequestContext = { ip: `198.51.100.${randomBytes(1)[0] ?? 1}`, userAgent: marker };
    const needles = [...p.needles, marker];
    const before = await footprint(needles);
    const remove = await injectFault(p.table, p.faultMarker ?? marker);
    let failure: unknown = null;
    try {
      await p.run(context).then(
        () => {
          failure = "no error";
        },
        (e: unknown) => {
          failure = e;
        },
      );
    } finally {
      await remove();
    }
    // It failed because of the fault, and a client would see only the generic message.
    expect(failure).toBeInstanceOf(Error);
    expect(isDomainError(failure)).toBe(false);
    expect(String((failure as Error).message)).toContain("injected fault");
    const shown = toActionError(failure);
    expect(shown).toEqual({ ok: false, code: "INTERNAL", error: errorMessages.INTERNAL });
    // Nothing of the use case remains, nothing was changed.
    expect(await footprint(needles)).toEqual(before);
    // Without the fault, the same call (same code, same link, same email) succeeds and writes rows we watch.
    await p.run(context);
    expect(await footprint(needles)).not.toEqual(before);
  });
});

describe("S37/S45: the faults seen live, and hostile input given to the services directly", () => {
  const codeOf = (e: unknown) => (isDomainError(e) ? `${e.code} ${Object.keys(e.fields ?? {}).join(",")}` : String(e));

  it("a NUL byte in the organization name at sign-up: a field message, no user left behind, the email still signs up", async () => {
    const email = uniqueEmail("nul-signup");
    const input = { name: "Nora Nul", email, password: PASSWORD, organizationName: "Acme\u0000 Ltd" };
    const before = await footprint([email]);
    expect(codeOf(await signUp({ input, context: ctx }).catch((e) => e))).toBe("VALIDATION organizationName");
    expect(await footprint([email])).toEqual(before);
    expect(await db.user.count({ where: { email } })).toBe(0);
    const done = await signUp({ input: { ...input, organizationName: "Acme Ltd" }, context: ctx });
    expect(await db.membership.count({ where: { userId: done.userId, role: "OWNER" } })).toBe(1);
  });

  it("a NUL byte in the name at invitation acceptance: a field message, the invitation still works", async () => {
    const owner = await createOrgWithOwner();
    const email = uniqueEmail("nul-invitee");
    await inviteMember({ actor: owner.actor, input: { email, role: "MEMBER", type: "EMPLOYEE" }, context: ctx });
    const token = await invitationTokenFor(email);
    const before = await footprint([email, owner.organizationId]);
    const refused = await acceptInvitation({
      input: { token, name: "Ivy\u0000", password: PASSWORD },
      context: ctx,
    }).catch((e) => e);
    expect(codeOf(refused)).toBe("VALIDATION name");
    expect(await footprint([email, owner.organizationId])).toEqual(before);
    const done = await acceptInvitation({ input: { token, name: "Ivy Invitee", password: PASSWORD }, context: ctx });
    expect(await db.user.findUniqueOrThrow({ where: { id: done.userId } })).toMatchObject({ name: "Ivy Invitee" });
  });

  it.each([
    ["NUL in the name", { name: "A\u0000" }, "name"],
    ["100 KB name", { name: "a".repeat(100_000) }, "name"],
    ["lone surrogate in the name", { name: "Ann \ud800" }, "name"],
    ["control character in the organization", { organizationName: "Org\u001b[0m" }, "organizationName"],
    ["100 KB organization name", { organizationName: "o".repeat(100_000) }, "organizationName"],
    ["NUL in the password", { password: "long enough\u0000password" }, "password"],
    ["a number for the email", { email: 42 }, "email"],
    ["no email", { email: undefined }, "email"],
  ])("sign-up service with %s: a field message and no row", async (_what, bad, field) => {
    const email = uniqueEmail("bad-signup");
    const input = { name: "Bea Bad", email, password: PASSWORD, organizationName: `Bad ${randomUUID()}`, ...bad };
    const before = await footprint([email, input.organizationName as string]);
    const refused = await signUp({ input: input as Parameters<typeof signUp>[0]["input"], context: ctx }).catch(
      (e) => e,
    );
    expect(codeOf(refused)).toBe(`VALIDATION ${field}`);
    expect(await footprint([email, String(input.organizationName).slice(0, 100)])).toEqual(before);
  });

  it("exemption reason with a NUL byte, and an SSO name with control characters: no database error", async () => {
    const w = await orgWithAdminAndTeammate({ teammateTwoFactor: false });
    const membershipId = (await addMemberId(w.organizationId, w.teammate.userId)) as string;
    const before = await footprint(w.needles);
    const refused = await grantTwoFactorExemption(
      { actor: w.admin, input: { membershipId, days: 3, reason: "lost\u0000 phone" }, context: ctx },
      { now: w.t1 },
    ).catch((e) => e);
    expect(codeOf(refused)).toBe("VALIDATION reason");
    expect(await footprint(w.needles)).toEqual(before);

    const { slug } = await db.organization.findUniqueOrThrow({ where: { id: w.organizationId } });
    const email = uniqueEmail("sso-nul");
    const r = await ssoSignIn(
      {
        input: { email, emailVerified: true, name: "Sam\u0000 \ud800Sso\u001b", subject: `sub-${randomUUID()}` },
        context: ctx,
      },
      { now: new Date(), organizationSlug: slug },
    );
    expect(await db.user.findUniqueOrThrow({ where: { id: r.userId } })).toMatchObject({ name: "Sam Sso" });
  });
});
