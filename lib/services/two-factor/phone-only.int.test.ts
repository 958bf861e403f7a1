// A person whose ONLY second factor is a phone can do everything an app user can (issue 12), against a real
// PostgreSQL: step up with a texted code (S26, S42) and then act as an administrator, transfer ownership, change the
// password (refused without a code), regenerate recovery codes; a wrong texted code is counted by the one failure
// counter (S9, S36), a used one is refused (audited as a replay); a step-up code never signs in and a sign-in code
// never steps up; enrolling the phone is not a step-up (S39). The app can go while a phone keeps 2FA on.
import { describe, expect, it } from "vitest";
import { addMember, createOrgWithOwner, ctx, PASSWORD, withTwoFactor } from "@/test/factories";
import { allowUkSms, phoneContext, withPhone } from "@/test/phone";
import { latestText } from "@/test/sms";
import type { Actor } from "../../auth/actor";
import { verifyPassword } from "../../crypto/password";
import { totpAt } from "../../crypto/totp";
import { db } from "../../db";
import { DomainError } from "../../errors";
import { changePassword } from "../accounts/change-password";
import { saveTwoFactorPolicy } from "../org-policy/change";
import { peek } from "../rate-limit/limiter";
import { completeSignIn } from "../sign-in/complete-sign-in";
import { passwordStep } from "../sign-in/password-step";
import { sendSignInSmsCode } from "../sign-in/sms-sign-in";
import { resetTeammateTwoFactor } from "../teammates/reset-teammate-two-factor";
import { transferOptions } from "../teammates/transfer-options";
import { transferOwnership } from "../teammates/transfer-ownership";
import { appRemovalRefusal, disableTwoFactor } from "./disable";
import { secondFactorKey, secondFactorPolicy } from "./lock-policy";
import { phoneRemovalRefusal } from "./phone-disable";
import { regenerateRecoveryCodes } from "./recovery";
import { assertRecentStepUp, stepUp } from "./step-up";
import { sendStepUpSmsCode } from "./step-up-sms";

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof DomainError ? e.code : `unexpected: ${String(e)}`),
  );
const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);
const failures = async (userId: string) => (await peek(db, secondFactorKey(userId), secondFactorPolicy)).failures;

/** Org (Professional, UK texts allowed): the owner with a phone only, an admin with a phone only, a member with an app. */
async function world() {
  const t0 = new Date();
  const ownerBase = await createOrgWithOwner({ plan: "PROFESSIONAL", name: "Phone Org" });
  await allowUkSms(ownerBase.organizationId);
  const owner = await withPhone(ownerBase, t0);
  const adminBase = await addMember(ownerBase.actor, { role: "ADMIN", name: "Pia PhoneAdmin" });
  const admin = await withPhone(adminBase, t0);
  const member = await withTwoFactor(await addMember(ownerBase.actor, { name: "Max Member" }), t0);
  const ownerActor: Actor = { ...ownerBase.actor, sessionId: owner.phoneSessionId };
  const adminActor: Actor = { ...adminBase.actor, sessionId: admin.phoneSessionId };
  return { t0, org: ownerBase.organizationId, owner, admin, member, ownerActor, adminActor };
}

/** Texts a step-up code to `actor` at `now` and returns it (read from the text in the outbox). */
async function textedCode(actor: Actor, phone: string, now: Date) {
  const sent = await sendStepUpSmsCode({ actor, context: phoneContext() }, { now });
  expect(sent.sentTo).toBe(`•••• ${phone.slice(-4)}`);
  return (await latestText(phone)).code;
}

describe("a person whose only factor is a phone", () => {
  it("a phone-only admin steps up with a texted code and then resets a teammate (S26); enrolling was no step-up (S39)", async () => {
    const w = await world();
    const reset = () =>
      resetTeammateTwoFactor({ actor: w.adminActor, input: { membershipId: w.member.membershipId }, context: ctx });
    // Adding the phone marked the session as having passed 2FA, never as stepped up: a code is asked, not "set up 2FA".
    expect(await codeOf(reset())).toBe("STEP_UP_REQUIRED");
    const now = at(w.t0, 5);
    const code = await textedCode(w.adminActor, w.admin.phone, now);
    const { body } = await latestText(w.admin.phone);
    expect(body).toContain("verification code");
    await stepUp({ actor: w.adminActor, input: { method: "sms", code }, context: ctx }, { now });
    const session = await db.session.findUniqueOrThrow({ where: { id: w.admin.phoneSessionId } });
    expect(session.stepUpAt).toEqual(now);
    expect(await codeOf(reset())).toBe("ok");
    expect(await db.totpFactor.count({ where: { userId: w.member.userId } })).toBe(0);
    await db.$transaction((tx) => assertRecentStepUp(tx, w.admin.phoneSessionId, new Date(), w.admin.userId));
  });

  it("a wrong texted code is refused and counted (S9); a used one is refused and audited as a replay", async () => {
    const w = await world();
    const now = at(w.t0, 5);
    const code = await textedCode(w.adminActor, w.admin.phone, now);
    const wrong = code === "000000" ? "111111" : "000000";
    const before = await failures(w.admin.userId);
    expect(
      await codeOf(stepUp({ actor: w.adminActor, input: { method: "sms", code: wrong }, context: ctx }, { now })),
    ).toBe("INVALID_CODE");
    expect(await failures(w.admin.userId)).toBe(before + 1);
    expect(await db.auditEvent.count({ where: { actorId: w.admin.userId, type: "2fa.failed" } })).toBeGreaterThan(0);
    // The right one still works (a success clears the counter), once.
    await stepUp({ actor: w.adminActor, input: { method: "sms", code }, context: ctx }, { now: at(now, 1) });
    expect(await failures(w.admin.userId)).toBe(0);
    expect(
      await codeOf(stepUp({ actor: w.adminActor, input: { method: "sms", code }, context: ctx }, { now: at(now, 2) })),
    ).toBe("INVALID_CODE");
    expect(await db.auditEvent.count({ where: { actorId: w.admin.userId, type: "2fa.replay" } })).toBeGreaterThan(0);
  });

  it("the failure counter is shared: wrong texted codes lock the account for every code kind (S9, S36)", async () => {
    const w = await world();
    const now = at(w.t0, 5);
    const code = await textedCode(w.adminActor, w.admin.phone, now);
    const wrong = code === "000000" ? "111111" : "000000";
    // 5 tries per texted code: each new text gives 5 more, and the account counter keeps counting across them.
    let n = 0;
    for (let text = 0; text < 2; text++) {
      const when = at(now, 40 * text);
      if (text > 0) await textedCode(w.adminActor, w.admin.phone, when);
      for (let i = 0; i < 5; i++) {
        await codeOf(
          stepUp({ actor: w.adminActor, input: { method: "sms", code: wrong }, context: ctx }, { now: when }),
        );
        n++;
      }
    }
    expect(n).toBe(10);
    const state = await peek(db, secondFactorKey(w.admin.userId), secondFactorPolicy, at(now, 100));
    expect(state.lockedUntil).not.toBeNull();
    // Locked: no more texts, and a recovery code is refused too until the lock ends.
    expect(
      await codeOf(sendStepUpSmsCode({ actor: w.adminActor, context: phoneContext() }, { now: at(now, 100) })),
    ).toBe("SECOND_FACTOR_LOCKED");
    const recovery = w.admin.recoveryCodes?.[0] ?? "";
    expect(
      await codeOf(
        stepUp(
          { actor: w.adminActor, input: { method: "recovery", code: recovery }, context: ctx },
          { now: at(now, 100) },
        ),
      ),
    ).toBe("SECOND_FACTOR_LOCKED");
  });

  it("a step-up code never signs in, and a sign-in code never steps up", async () => {
    const w = await world();
    const now = new Date();
    const stepUpCode = await textedCode(w.adminActor, w.admin.phone, now);
    const { challengeToken } = await passwordStep(
      { input: { email: w.admin.email, password: PASSWORD }, context: ctx },
      { tx: db },
    );
    expect(
      await codeOf(
        completeSignIn({ input: { challengeToken, secondFactor: { method: "sms", code: stepUpCode } }, context: ctx }),
      ),
    ).toBe("INVALID_CODE");
    await sendSignInSmsCode({ input: { challengeToken }, context: phoneContext() });
    const signInCode = (await latestText(w.admin.phone)).code;
    expect(
      await codeOf(stepUp({ actor: w.adminActor, input: { method: "sms", code: signInCode }, context: ctx })),
    ).toBe("INVALID_CODE");
    // Each still works for its own purpose.
    await stepUp({ actor: w.adminActor, input: { method: "sms", code: stepUpCode }, context: ctx });
    const done = await completeSignIn({
      input: { challengeToken, secondFactor: { method: "sms", code: signInCode } },
      context: ctx,
    });
    expect(done.authMethod).toBe("password+sms");
  });

  it("a phone-only owner transfers ownership to a phone-only admin with a texted code", async () => {
    const w = await world();
    const options = await transferOptions({ actor: w.ownerActor });
    expect(options.ownerHasTwoFactor).toBe(true);
    expect(options.candidates.map((c) => c.name)).toEqual(["Pia PhoneAdmin"]);
    const membershipId = options.candidates[0]?.membershipId ?? "";
    const now = at(w.t0, 5);
    const code = await textedCode(w.ownerActor, w.owner.phone, now);
    const wrong = code === "000000" ? "111111" : "000000";
    expect(
      await codeOf(
        transferOwnership(
          {
            actor: w.ownerActor,
            input: { membershipId, password: PASSWORD, method: "sms", code: wrong },
            context: ctx,
          },
          { now },
        ),
      ),
    ).toBe("INVALID_CODE");
    const { newOwner } = await transferOwnership(
      { actor: w.ownerActor, input: { membershipId, password: PASSWORD, method: "sms", code }, context: ctx },
      { now },
    );
    expect(newOwner.name).toBe("Pia PhoneAdmin");
    const roles = await db.membership.findMany({
      where: { organizationId: w.org, userId: { in: [w.owner.userId, w.admin.userId] } },
      select: { userId: true, role: true },
    });
    expect(Object.fromEntries(roles.map((r) => [r.userId, r.role]))).toEqual({
      [w.owner.userId]: "ADMIN",
      [w.admin.userId]: "OWNER",
    });
  });

  it("a password change is refused without a code and accepted with a texted one", async () => {
    const w = await world();
    const now = at(w.t0, 5);
    const input = { currentPassword: PASSWORD, newPassword: "a new phone-only passphrase 42" };
    const refused = await changePassword({ actor: w.adminActor, input, context: ctx }, { now }).catch((e) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).fields).toMatchObject({ code: expect.any(String) });
    const code = await textedCode(w.adminActor, w.admin.phone, now);
    expect(
      await codeOf(
        changePassword(
          {
            actor: w.adminActor,
            input: { ...input, method: "sms", code: code === "000000" ? "111111" : "000000" },
            context: ctx,
          },
          { now },
        ),
      ),
    ).toBe("INVALID_CODE");
    let user = await db.user.findUniqueOrThrow({ where: { id: w.admin.userId }, select: { passwordHash: true } });
    expect(await verifyPassword(user.passwordHash ?? "", PASSWORD)).toBe(true);
    await changePassword({ actor: w.adminActor, input: { ...input, method: "sms", code }, context: ctx }, { now });
    user = await db.user.findUniqueOrThrow({ where: { id: w.admin.userId }, select: { passwordHash: true } });
    expect(await verifyPassword(user.passwordHash ?? "", input.newPassword)).toBe(true);
  });

  it("regenerates their own recovery codes with a texted code; the old set stops working", async () => {
    const w = await world();
    const now = at(w.t0, 5);
    const old = await db.recoveryCode.findMany({ where: { userId: w.admin.userId }, select: { codeHash: true } });
    expect(old).toHaveLength(10);
    const code = await textedCode(w.adminActor, w.admin.phone, now);
    const { recoveryCodes } = await regenerateRecoveryCodes(
      { actor: w.adminActor, input: { password: PASSWORD, method: "sms", code }, context: ctx },
      { now },
    );
    expect(recoveryCodes).toHaveLength(10);
    const fresh = await db.recoveryCode.findMany({ where: { userId: w.admin.userId }, select: { codeHash: true } });
    expect(fresh.some((r) => old.some((o) => o.codeHash === r.codeHash))).toBe(false);
    expect(
      await codeOf(
        stepUp(
          { actor: w.adminActor, input: { method: "recovery", code: w.admin.recoveryCodes?.[0] ?? "" }, context: ctx },
          { now: at(now, 1) },
        ),
      ),
    ).toBe("INVALID_CODE");
  });

  it("the app can be removed while a phone keeps 2FA on, even when the organization requires 2FA", async () => {
    const w = await world();
    // The member (app) adds a phone too; then the organization requires 2FA.
    const withBoth = await withPhone({ ...w.member, sessionId: w.member.sessionId }, w.t0);
    // Requiring 2FA tightens: no step-up needed.
    const { policyVersion } = await db.organization.findUniqueOrThrow({ where: { id: w.org } });
    await saveTwoFactorPolicy(
      {
        actor: w.ownerActor,
        input: {
          requireTwoFactor: true,
          mode: "NEXT_SIGN_IN",
          exemptSso: false,
          allowedMethods: ["TOTP", "SMS"],
          expectedVersion: policyVersion,
        },
        context: ctx,
      },
      { now: w.t0 },
    );
    const memberActor = { userId: w.member.userId, organizationId: w.org, sessionId: w.member.sessionId };
    expect(await appRemovalRefusal({ actor: memberActor })).toBeNull();
    const now = at(w.t0, 60);
    await disableTwoFactor(
      {
        actor: memberActor,
        input: { method: "totp", code: totpAt(withBoth.secret, { time: now.getTime() }), password: PASSWORD },
        context: ctx,
      },
      { now },
    );
    expect(await db.totpFactor.count({ where: { userId: w.member.userId } })).toBe(0);
    expect(await db.phoneFactor.count({ where: { userId: w.member.userId } })).toBe(1);
    // The phone is now the only factor: with 2FA required it stays.
    expect(await phoneRemovalRefusal({ actor: memberActor })).not.toBeNull();
  });
});
