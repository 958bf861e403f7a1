// S40 against a real PostgreSQL: an organization acts only on what it owns. An account that also belongs to another
// organization cannot have its 2FA reset, or recovery codes issued, by either organization's admins; every 2FA change
// and sign-out of an account is recorded in every organization it belongs to.
import { describe, expect, it } from "vitest";
import { addMember, createOrgWithOwner, ctx, PASSWORD, signIn, withTwoFactor } from "@/test/factories";
import { totpAt } from "../crypto/totp";
import { db } from "../db";
import { DomainError } from "../errors";
import { describeAuditEvent } from "./audit/audit-text";
import { saveTwoFactorPolicy } from "./org-policy/change";
import { signOutOtherSessions } from "./sessions/sign-out-other-sessions";
import { completeSignIn } from "./sign-in/complete-sign-in";
import { passwordStep } from "./sign-in/password-step";
import { issueRecoveryCodesForTeammate } from "./teammates/issue-teammate-recovery-codes";
import { resetTeammateTwoFactor } from "./teammates/reset-teammate-two-factor";
import { confirmTotpEnrollment } from "./two-factor/confirm-enrollment";
import { disableTwoFactor } from "./two-factor/disable";
import { startTotpEnrollment } from "./two-factor/enrollment";
import { regenerateRecoveryCodes } from "./two-factor/recovery";
import { stepUp } from "./two-factor/step-up";

const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);
const codeAt = (secret: string, time: Date) => totpAt(secret, { time: time.getTime() });
const secretOf = (uri: string) => new URL(uri).searchParams.get("secret") ?? "";

/**
 * Acme (owner and admin with 2FA, a member only in Acme) and "Side Project", an organization created by public
 * sign-up whose owner invited Acme's Dana; Dana accepted and now belongs to both.
 */
async function world() {
  const t0 = new Date();
  const acmeOwner = await withTwoFactor(await createOrgWithOwner({ plan: "PROFESSIONAL", name: "Acme" }), t0);
  const acmeAdmin = await withTwoFactor(await addMember(acmeOwner.actor, { role: "ADMIN", name: "Ada Admin" }), t0);
  const solo = await withTwoFactor(await addMember(acmeOwner.actor, { name: "Sol Only-Acme" }), t0);
  const danaInAcme = await addMember(acmeOwner.actor, { name: "Dana Dual" });
  const side = await withTwoFactor(await createOrgWithOwner({ name: "Side Project" }), t0);
  const danaInSide = await addMember(side.actor, { email: danaInAcme.email });
  const dana = await withTwoFactor(danaInAcme, t0);
  const admin = (p: { userId: string; sessionId: string }, organizationId: string) => ({
    userId: p.userId,
    sessionId: p.sessionId,
    organizationId,
  });
  return {
    t0,
    now: at(t0, 60),
    acme: acmeOwner.organizationId,
    side: side.organizationId,
    acmeOwner: admin(acmeOwner, acmeOwner.organizationId),
    acmeAdmin: admin(acmeAdmin, acmeOwner.organizationId),
    sideOwner: admin(side, side.organizationId),
    solo,
    dana,
    danaInAcme,
    danaInSide,
  };
}

/** Dana's factor, codes, sessions and mails: what a refused action must leave as it was. */
async function danaState(userId: string, email: string) {
  return JSON.stringify(
    await Promise.all([
      db.totpFactor.findUnique({ where: { userId } }),
      db.recoveryCode.findMany({ where: { userId }, orderBy: { id: "asc" } }),
      db.session.findMany({ where: { userId }, orderBy: { id: "asc" } }),
      db.reEnrollmentToken.count({ where: { userId } }),
      db.outboxMessage.count({ where: { to: email } }),
      db.auditEvent.count({
        where: { targetId: userId, type: { in: ["2fa.admin_reset", "2fa.recovery_codes_issued"] } },
      }),
    ]),
  );
}

describe("an account in two organizations (S40)", () => {
  it("reset and issue are refused for it, by either organization, with what the teammate can do; a single-organization member still works", async () => {
    const w = await world();
    const before = await danaState(w.dana.userId, w.dana.email);
    const cases = [
      [
        "Side Project's owner resets Dana",
        () =>
          resetTeammateTwoFactor(
            { actor: w.sideOwner, input: { membershipId: w.danaInSide.membershipId }, context: ctx },
            { now: w.now },
          ),
      ],
      [
        "Side Project's owner issues codes to Dana",
        () =>
          issueRecoveryCodesForTeammate(
            { actor: w.sideOwner, input: { membershipId: w.danaInSide.membershipId }, context: ctx },
            { now: w.now },
          ),
      ],
      [
        "Acme's admin resets Dana",
        () =>
          resetTeammateTwoFactor(
            { actor: w.acmeAdmin, input: { membershipId: w.danaInAcme.membershipId }, context: ctx },
            { now: w.now },
          ),
      ],
      [
        "Acme's owner issues codes to Dana",
        () =>
          issueRecoveryCodesForTeammate(
            { actor: w.acmeOwner, input: { membershipId: w.danaInAcme.membershipId }, context: ctx },
            { now: w.now },
          ),
      ],
    ] as const;
    for (const [label, act] of cases) {
      const error = await act().then(
        () => null,
        (e: unknown) => e,
      );
      expect([label, error instanceof DomainError ? error.code : String(error)]).toEqual([
        label,
        "TEAMMATE_IN_OTHER_ORGANIZATION",
      ]);
      const message = (error as DomainError).message;
      expect(message).toContain("also belongs to another organization");
      expect(message).toContain("recovery codes");
      expect(message).toContain("owner of their other organization");
      // Nothing about the other organization leaks to this admin.
      expect(message).not.toContain("Side Project");
      expect(message).not.toContain("Acme");
    }
    expect(await danaState(w.dana.userId, w.dana.email)).toBe(before);

    // Dana's factor still signs her in.
    const { challengeToken } = await passwordStep(
      { input: { email: w.dana.email, password: PASSWORD }, context: ctx },
      { tx: db, now: at(w.now, 30) },
    );
    await completeSignIn(
      {
        input: { challengeToken, secondFactor: { method: "totp", code: codeAt(w.dana.secret, at(w.now, 30)) } },
        context: ctx,
      },
      { now: at(w.now, 30) },
    );

    // A member of Acme only: both still work for Acme's admin.
    const solo = { membershipId: w.solo.membershipId };
    await issueRecoveryCodesForTeammate({ actor: w.acmeAdmin, input: solo, context: ctx }, { now: w.now });
    await resetTeammateTwoFactor({ actor: w.acmeAdmin, input: solo, context: ctx }, { now: w.now });
    expect(await db.totpFactor.count({ where: { userId: w.solo.userId } })).toBe(0);

    // Once Dana leaves Side Project, Acme may act on her again.
    await db.membership.update({ where: { id: w.danaInSide.membershipId }, data: { status: "REMOVED" } });
    await resetTeammateTwoFactor(
      { actor: w.acmeAdmin, input: { membershipId: w.danaInAcme.membershipId }, context: ctx },
      { now: w.now },
    );
    expect(await db.totpFactor.count({ where: { userId: w.dana.userId } })).toBe(0);
  });

  it("every 2FA change and sign-out of the account is audited in every organization it belongs to", async () => {
    const w = await world();
    const me = { userId: w.dana.userId, sessionId: w.dana.sessionId, organizationId: null };
    const rowsIn = async (type: string) => {
      const rows = await db.auditEvent.findMany({
        where: { targetId: w.dana.userId, type },
        select: { organizationId: true },
      });
      return rows.map((r) => r.organizationId).sort();
    };
    const both = [w.acme, w.side].sort();

    // Dana joined both organizations, then turned 2FA on (world()).
    expect(await rowsIn("2fa.enabled")).toEqual(both);

    let t = at(w.now, 30);
    const fresh = await regenerateRecoveryCodes(
      { actor: me, input: { password: PASSWORD, method: "totp", code: codeAt(w.dana.secret, t) }, context: ctx },
      { now: t },
    );
    expect(await rowsIn("2fa.recovery_codes_regenerated")).toEqual(both);

    // A recovery code used (here for a step-up): both organizations see it.
    t = at(t, 30);
    await stepUp(
      { actor: me, input: { method: "recovery", code: fresh.recoveryCodes[0] ?? "" }, context: ctx },
      { now: t },
    );
    expect(await rowsIn("2fa.recovery_code_used")).toEqual(both);

    // Moving to a new app.
    const pending = await startTotpEnrollment({ actor: me, context: ctx }, { now: t });
    const newSecret = secretOf(pending.otpauthUri);
    await confirmTotpEnrollment(
      {
        actor: me,
        input: {
          password: PASSWORD,
          code: codeAt(newSecret, t),
          current: { method: "totp", code: codeAt(w.dana.secret, t) },
        },
        context: ctx,
      },
      { now: t },
    );
    expect(await rowsIn("2fa.reenrolled")).toEqual(both);

    // Signing out the other sessions.
    const { challengeToken } = await passwordStep(
      { input: { email: w.dana.email, password: PASSWORD }, context: ctx },
      { tx: db, now: at(t, 30) },
    );
    await completeSignIn(
      { input: { challengeToken, secondFactor: { method: "totp", code: codeAt(newSecret, at(t, 30)) } }, context: ctx },
      { now: at(t, 30) },
    );
    expect(
      await signOutOtherSessions({ actor: { userId: w.dana.userId, sessionId: w.dana.sessionId }, context: ctx }),
    ).toBe(1);
    expect(await rowsIn("session.revoked")).toEqual(both);

    // Turning it off.
    t = at(t, 60);
    await disableTwoFactor(
      { actor: me, input: { password: PASSWORD, method: "totp", code: codeAt(newSecret, t) }, context: ctx },
      { now: t },
    );
    expect(await rowsIn("2fa.disabled")).toEqual(both);

    // An admin reset and issued codes (possible once the account is in one organization) are in that organization.
    await issueRecoveryCodesForTeammate(
      { actor: w.acmeAdmin, input: { membershipId: w.solo.membershipId }, context: ctx },
      { now: w.now },
    );
    await resetTeammateTwoFactor(
      { actor: w.acmeAdmin, input: { membershipId: w.solo.membershipId }, context: ctx },
      { now: w.now },
    );
    for (const type of ["2fa.recovery_codes_issued", "2fa.admin_reset"]) {
      const rows = await db.auditEvent.findMany({ where: { targetId: w.solo.userId, type } });
      expect(rows.map((r) => [r.organizationId, r.actorId])).toEqual([[w.acme, w.acmeAdmin.userId]]);
    }
  });

  it("another organization signing her out (its requirement, 'now') is recorded in Acme too, without naming it", async () => {
    const t0 = new Date();
    const acme = await withTwoFactor(await createOrgWithOwner({ plan: "PROFESSIONAL", name: "Acme" }), t0);
    const side = await withTwoFactor(await createOrgWithOwner({ plan: "PROFESSIONAL", name: "Side Project" }), t0);
    const dana = await addMember(acme.actor, { name: "Dana Dual" });
    await addMember(side.actor, { email: dana.email });
    const danaSession = await signIn(dana, t0);
    await saveTwoFactorPolicy(
      {
        actor: { ...side.actor, sessionId: side.sessionId },
        input: {
          requireTwoFactor: true,
          mode: "NOW",
          exemptSso: true,
          allowedMethods: ["TOTP"],
          expectedVersion: 0,
          confirmSoleAdmin: true,
        },
        context: ctx,
      },
      { now: at(t0, 60) },
    );
    expect((await db.session.findUniqueOrThrow({ where: { id: danaSession } })).revokedAt).not.toBeNull();
    const rows = await db.auditEvent.findMany({
      where: { type: "session.revoked", targetId: dana.userId },
      select: { organizationId: true, actorId: true, metadata: true },
    });
    expect(rows).toEqual([
      {
        organizationId: acme.organizationId,
        actorId: null,
        metadata: { reason: "organization_requires_2fa", byAnotherOrganization: true },
      },
    ]);
    expect(describeAuditEvent({ type: "session.revoked", metadata: rows[0]?.metadata }, null, "Dana Dual")).toBe(
      "Dana Dual was signed out of every session: another organization they belong to requires two-factor authentication",
    );
  });
});
