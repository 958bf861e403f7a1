// Issue 10 items 7 and 9: one proof is enough where one was just given (a setup right after an emailed link asks for
// no password and no emailed code; a setup after a password-only sign-in still does — B5), every field's problem is
// reported at once, recovery codes can be regenerated with a recovery code, and the suggestion banner is snoozed for
// 30 days.
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
import { mailData } from "@/test/mail";
import type { Actor } from "../../auth/actor";
import { totpAt } from "../../crypto/totp";
import { db } from "../../db";
import { DomainError } from "../../errors";
import { confirmEnrollmentSchema } from "../../validation/two-factor";
import { saveTwoFactorPolicy } from "../org-policy/change";
import { completeSignIn } from "../sign-in/complete-sign-in";
import { acceptInvitation } from "../teammates/accept-invitation";
import { inviteMember } from "../teammates/invite";
import { confirmTotpEnrollment } from "./confirm-enrollment";
import { sendEnrollmentEmailCode } from "./email-codes";
import { enrollmentRequirements, LINK_PROOF_WINDOW_MS, startTotpEnrollment } from "./enrollment";
import { createReEnrollmentToken, signInWithReEnrollmentToken } from "./re-enrollment";
import { regenerateRecoveryCodes } from "./recovery";
import { dismissTwoFactorSuggestion, SUGGESTION_SNOOZE_MS, twoFactorStatus } from "./status";

const later = (base: Date, ms: number) => new Date(base.getTime() + ms);
const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e) => {
      if (e instanceof DomainError) return { code: e.code, fields: Object.keys(e.fields ?? {}).sort() };
      throw e;
    },
  );

/** A Professional organization whose owner (with 2FA, stepped up) requires 2FA of everyone now. */
async function requiringOrg(now: Date) {
  const owner = await withTwoFactor(await createOrgWithOwner({ plan: "PROFESSIONAL" }), now);
  const organization = await db.organization.findUniqueOrThrow({ where: { id: owner.organizationId } });
  await saveTwoFactorPolicy(
    {
      actor: { ...owner.actor, sessionId: owner.sessionId },
      input: {
        requireTwoFactor: true,
        mode: "NOW",
        exemptSso: true,
        allowedMethods: ["TOTP"],
        expectedVersion: organization.policyVersion,
        confirmSoleAdmin: true,
      },
      context: ctx,
    },
    { now },
  );
  return owner;
}

/** Starts an enrollment for `actor` and returns a confirm call with the new app's current code. */
async function enrol(actor: Actor, now: Date) {
  const enrollment = await startTotpEnrollment({ actor, context: ctx }, { now });
  const secret = new URL(enrollment.otpauthUri).searchParams.get("secret") ?? "";
  const appCode = totpAt(secret, { time: now.getTime() });
  return {
    secret,
    appCode,
    confirm: (input: { password?: string; code?: string; emailCode?: string }, at = now) =>
      confirmTotpEnrollment({ actor, input: { password: "", code: appCode, ...input }, context: ctx }, { now: at }),
  };
}

describe("one proof in a link flow (issue 10 item 7)", () => {
  it("an invitee who just set a password from the emailed link turns 2FA on with the app code alone", async () => {
    const now = new Date();
    const owner = await requiringOrg(now);
    const email = uniqueEmail("invitee");
    await inviteMember({ actor: owner.actor, input: { email, role: "MEMBER", type: "EMPLOYEE" }, context: ctx });
    const token = await invitationTokenFor(email);
    const accepted = await acceptInvitation(
      { input: { token, name: "Ivy Invitee", password: PASSWORD }, context: ctx },
      { now },
    );
    expect(accepted.organizationRequiresTwoFactor).toBe(true);
    const { sessionId } = await completeSignIn(
      { input: { challengeToken: accepted.challengeToken }, context: ctx },
      {
        now,
      },
    );
    const session = await db.session.findUniqueOrThrow({ where: { id: sessionId } });
    expect(session.linkProofAt).toEqual(now);
    expect(session.setupRequiredAtStart).toBe(true);
    const actor = { userId: accepted.userId, sessionId, organizationId: null };
    expect(await enrollmentRequirements({ actor }, { now })).toMatchObject({
      forced: true,
      linkFlow: true,
      needsPassword: false,
      needsEmailCode: false,
      needsCurrentFactor: false,
    });
    const setup = await enrol(actor, later(now, 5_000));
    const { recoveryCodes } = await setup.confirm({}, later(now, 5_000));
    expect(recoveryCodes).toHaveLength(10);
    expect(await db.totpFactor.count({ where: { userId: accepted.userId } })).toBe(1);
    expect(await db.outboxMessage.count({ where: { to: email, template: "email-code" } })).toBe(0);
    // The link flow ends with its setup: the next change asks for the usual proofs.
    expect((await db.session.findUniqueOrThrow({ where: { id: sessionId } })).linkProofAt).toBeNull();
    expect(await enrollmentRequirements({ actor }, { now: later(now, 10_000) })).toMatchObject({
      linkFlow: false,
      needsPassword: true,
      needsCurrentFactor: true,
    });
  });

  it("a teammate following a re-enrollment link is not asked for the password again nor for an emailed code", async () => {
    const now = new Date();
    const owner = await requiringOrg(now);
    const member = await addMember(owner.actor, { name: "Tom Li" });
    const { token } = await db.$transaction((tx) =>
      createReEnrollmentToken(
        tx,
        { userId: member.userId, organizationId: owner.organizationId, createdById: owner.userId },
        now,
      ),
    );
    const pending = await signInWithReEnrollmentToken({ input: { token, password: PASSWORD }, context: ctx }, { now });
    const { sessionId } = await completeSignIn(
      { input: { challengeToken: pending.challengeToken }, context: ctx },
      {
        now,
      },
    );
    const actor = { userId: member.userId, sessionId, organizationId: null };
    const setup = await enrol(actor, now);
    expect(await setup.confirm({})).toMatchObject({ reenrolled: false });
  });

  it("a setup after a password-only sign-in still needs the password and the emailed code (B5), all fields at once", async () => {
    const now = new Date();
    const owner = await requiringOrg(now);
    const member = await addMember(owner.actor, { name: "Tom Li" });
    const sessionId = await signIn(member, now);
    const actor = { userId: member.userId, sessionId, organizationId: null };
    expect(await enrollmentRequirements({ actor }, { now })).toMatchObject({
      forced: true,
      linkFlow: false,
      needsPassword: true,
      needsEmailCode: true,
    });
    const setup = await enrol(actor, now);
    // Everything missing: every field says so in one answer.
    expect(await errorOf(setup.confirm({ password: "", code: "12" }))).toEqual({
      code: "VALIDATION",
      fields: ["code", "emailCode", "password"],
    });
    // Everything wrong: the same.
    const wrongApp = setup.appCode === "000000" ? "111111" : "000000";
    expect(await errorOf(setup.confirm({ password: "not the password", emailCode: "123456", code: wrongApp }))).toEqual(
      { code: "INVALID_CODE", fields: ["code", "emailCode", "password"] },
    );
    // The right password and app code, but no emailed code: refused (B5 holds).
    expect(await errorOf(setup.confirm({ password: PASSWORD }))).toEqual({
      code: "EMAIL_CODE_REQUIRED",
      fields: ["emailCode"],
    });
    await sendEnrollmentEmailCode({ actor, context: ctx }, { now });
    const mail = await db.outboxMessage.findFirstOrThrow({
      where: { to: member.email, template: "email-code" },
      orderBy: { createdAt: "desc" },
    });
    const emailCode = mailData<{ code: string }>(mail).code;
    expect(await setup.confirm({ password: PASSWORD, emailCode })).toMatchObject({ reenrolled: false });
  });

  it("a crafted request cannot claim the link flow: the server reads it from its own session row", async () => {
    const now = new Date();
    const owner = await requiringOrg(now);
    const member = await addMember(owner.actor, { name: "Tom Li" });
    const sessionId = await signIn(member, now);
    const actor = { userId: member.userId, sessionId, organizationId: null };
    // The action's schema drops whatever the browser adds…
    const parsed = confirmEnrollmentSchema.parse({
      password: "",
      code: "123456",
      linkFlow: true,
      linkProofAt: now.toISOString(),
      needs: { password: false, emailCode: false },
    });
    expect(Object.keys(parsed).sort()).toEqual(["code", "password"]);
    // …and the service, handed such fields anyway, still asks for both proofs.
    const setup = await enrol(actor, now);
    const crafted = { password: "", linkFlow: true, needsEmailCode: false } as { password: string };
    expect(await errorOf(setup.confirm(crafted))).toEqual({ code: "VALIDATION", fields: ["emailCode", "password"] });
    // Another person's link session is not this person's proof.
    const email = uniqueEmail("invitee");
    await inviteMember({ actor: owner.actor, input: { email, role: "MEMBER", type: "EMPLOYEE" }, context: ctx });
    const accepted = await acceptInvitation(
      { input: { token: await invitationTokenFor(email), name: "Ivy", password: PASSWORD }, context: ctx },
      { now },
    );
    const other = await completeSignIn({ input: { challengeToken: accepted.challengeToken }, context: ctx }, { now });
    expect(
      await enrollmentRequirements({ actor: { userId: member.userId, sessionId: other.sessionId } }, { now }),
    ).toMatchObject({ linkFlow: false, needsPassword: true, needsEmailCode: true });
    // A link session is a link flow for 30 minutes only (fake clock), and not once revoked.
    const ivy = { userId: accepted.userId, sessionId: other.sessionId };
    expect((await enrollmentRequirements({ actor: ivy }, { now: later(now, LINK_PROOF_WINDOW_MS - 1) })).linkFlow).toBe(
      true,
    );
    expect((await enrollmentRequirements({ actor: ivy }, { now: later(now, LINK_PROOF_WINDOW_MS) })).linkFlow).toBe(
      false,
    );
    await db.session.update({ where: { id: other.sessionId }, data: { revokedAt: now } });
    expect((await enrollmentRequirements({ actor: ivy }, { now })).linkFlow).toBe(false);
  });
});

describe("what the member sees matches what they may do (issue 10 item 9)", () => {
  it("after signing in with a recovery code, new recovery codes are generated with a recovery code", async () => {
    const now = new Date();
    const owner = await createOrgWithOwner();
    const member = await withTwoFactor(await addMember(owner.actor, { name: "Tom Li" }), now);
    const actor = { userId: member.userId, sessionId: member.sessionId, organizationId: null };
    const [first, second] = member.recoveryCodes as [string, string];
    const { recoveryCodes } = await regenerateRecoveryCodes(
      { actor, input: { password: PASSWORD, method: "recovery", code: first }, context: ctx },
      { now: later(now, 1_000) },
    );
    expect(recoveryCodes).toHaveLength(10);
    expect(recoveryCodes).not.toContain(first);
    // The old set is void (also the codes not used), and the used one cannot be used again.
    for (const code of [first, second]) {
      expect(
        await errorOf(
          regenerateRecoveryCodes(
            { actor, input: { password: PASSWORD, method: "recovery", code }, context: ctx },
            { now: later(now, 2_000) },
          ),
        ),
      ).toMatchObject({ code: "INVALID_CODE" });
    }
    expect(
      await db.auditEvent.count({ where: { actorId: member.userId, type: "2fa.recovery_codes_regenerated" } }),
    ).toBe(1);
  });

  it("the suggestion banner is snoozed for 30 days, then shown again (fake clock)", async () => {
    const t0 = new Date();
    const owner = await createOrgWithOwner();
    const actor = { userId: owner.userId };
    expect((await twoFactorStatus({ actor }, { now: t0 })).suggestionDismissed).toBe(false);
    await dismissTwoFactorSuggestion({ actor, context: ctx }, { now: t0 });
    expect((await twoFactorStatus({ actor }, { now: later(t0, 29 * 24 * 3600_000) })).suggestionDismissed).toBe(true);
    expect((await twoFactorStatus({ actor }, { now: later(t0, SUGGESTION_SNOOZE_MS - 1) })).suggestionDismissed).toBe(
      true,
    );
    expect((await twoFactorStatus({ actor }, { now: later(t0, SUGGESTION_SNOOZE_MS) })).suggestionDismissed).toBe(
      false,
    );
    // Snoozing again starts another 30 days.
    const t1 = later(t0, 31 * 24 * 3600_000);
    await dismissTwoFactorSuggestion({ actor, context: ctx }, { now: t1 });
    expect((await twoFactorStatus({ actor }, { now: later(t1, 1000) })).suggestionDismissed).toBe(true);
  });
});
