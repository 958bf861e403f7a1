// S39 against a real PostgreSQL: moving 2FA to a new app ("new phone") needs the CURRENT factor (a code from the
// current app or a recovery code) besides the password, and enrolling a factor never counts as a step-up.
import { describe, expect, it } from "vitest";
import { addMember, createOrgWithOwner, ctx, PASSWORD, signIn, withTwoFactor } from "@/test/factories";
import { totpAt } from "../../crypto/totp";
import { db } from "../../db";
import { DomainError } from "../../errors";
import { grantTwoFactorExemption } from "../org-policy/exemptions";
import { completeSignIn } from "../sign-in/complete-sign-in";
import { passwordStep } from "../sign-in/password-step";
import { resetTeammateTwoFactor } from "../teammates/reset-teammate-two-factor";
import { stepUp } from "../two-factor/step-up";
import { confirmTotpEnrollment } from "./confirm-enrollment";
import { enrollmentRequirements, startTotpEnrollment } from "./enrollment";

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof DomainError ? e.code : `unexpected: ${String(e)}`),
  );
const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);
const codeAt = (secret: string, time: Date) => totpAt(secret, { time: time.getTime() });
const secretOf = (uri: string) => new URL(uri).searchParams.get("secret") ?? "";

/** What replacing a factor could change, as one comparable string. */
async function factorState(userId: string) {
  return JSON.stringify(
    await Promise.all([
      db.totpFactor.findUnique({ where: { userId }, select: { secretEnc: true, confirmedAt: true } }),
      db.recoveryCode.findMany({ where: { userId }, orderBy: { id: "asc" }, select: { codeHash: true } }),
      db.session.count({ where: { userId, revokedAt: null } }),
      db.auditEvent.count({ where: { targetId: userId, type: { in: ["2fa.enabled", "2fa.reenrolled"] } } }),
    ]),
  );
}

/** Signs in with password + a code from `secret` at `time`: "ok" or the error code. */
async function signInWith(email: string, secondFactor: { method: "totp" | "recovery"; code: string }, time: Date) {
  const { challengeToken } = await passwordStep(
    { input: { email, password: PASSWORD }, context: ctx },
    { tx: db, now: time },
  );
  return codeOf(completeSignIn({ input: { challengeToken, secondFactor }, context: ctx }, { now: time }));
}

/** An owner with 2FA whose session stepped up at t0, a pending enrollment of a new app started at t0 + 60 s. */
async function replacing() {
  const t0 = new Date();
  const owner = await withTwoFactor(await createOrgWithOwner({ plan: "PROFESSIONAL" }), t0);
  const actor = { userId: owner.userId, sessionId: owner.sessionId, organizationId: null };
  const pending = await startTotpEnrollment({ actor, context: ctx }, { now: at(t0, 60) });
  return { t0, owner, actor, newSecret: secretOf(pending.otpauthUri) };
}

describe("moving 2FA to a new app needs the current factor (S39)", () => {
  it("the password and a code from the new app alone are refused; the old app keeps working", async () => {
    const { t0, owner, actor, newSecret } = await replacing();
    expect((await enrollmentRequirements({ actor: owner }, { now: t0 })).needsCurrentFactor).toBe(true);
    const before = await factorState(owner.userId);
    const t = at(t0, 90);
    const attempt = confirmTotpEnrollment(
      { actor, input: { password: PASSWORD, code: codeAt(newSecret, t) }, context: ctx },
      { now: t },
    );
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe("CURRENT_FACTOR_REQUIRED");
    expect((error as DomainError).fields?.currentCode).toMatch(/recovery codes/);
    // An empty or blank current code is the same as none.
    expect(
      await codeOf(
        confirmTotpEnrollment(
          {
            actor,
            input: { password: PASSWORD, code: codeAt(newSecret, t), current: { method: "totp", code: "  " } },
            context: ctx,
          },
          { now: t },
        ),
      ),
    ).toBe("CURRENT_FACTOR_REQUIRED");
    expect(await factorState(owner.userId)).toBe(before);
    // The old app still signs in; the new secret does not.
    const later = at(t0, 150);
    expect(await signInWith(owner.email, { method: "totp", code: codeAt(newSecret, later) }, later)).toBe(
      "INVALID_CODE",
    );
    expect(await signInWith(owner.email, { method: "totp", code: codeAt(owner.secret, later) }, later)).toBe("ok");
  });

  it("a wrong current code is refused and counted, and changes nothing", async () => {
    const { t0, owner, actor, newSecret } = await replacing();
    const before = await factorState(owner.userId);
    const t = at(t0, 90);
    const wrong = codeAt(owner.secret, at(t0, -3600)); // an old code of the current app
    expect(
      await codeOf(
        confirmTotpEnrollment(
          {
            actor,
            input: { password: PASSWORD, code: codeAt(newSecret, t), current: { method: "totp", code: wrong } },
            context: ctx,
          },
          { now: t },
        ),
      ),
    ).toBe("INVALID_CODE");
    expect(await factorState(owner.userId)).toBe(before);
    expect(await db.totpEnrollment.count({ where: { userId: owner.userId } })).toBe(1);
    expect(
      await db.auditEvent.count({
        where: { targetId: owner.userId, type: "2fa.failed", metadata: { path: ["purpose"], equals: "replace" } },
      }),
    ).toBe(1);
  });

  it("with a code from the current app it moves 2FA; the old app stops working", async () => {
    const { t0, owner, actor, newSecret } = await replacing();
    const t = at(t0, 90);
    const r = await confirmTotpEnrollment(
      {
        actor,
        input: {
          password: PASSWORD,
          code: codeAt(newSecret, t),
          current: { method: "totp", code: codeAt(owner.secret, t) },
        },
        context: ctx,
      },
      { now: t },
    );
    expect(r.reenrolled).toBe(true);
    expect(r.recoveryCodes).toHaveLength(10);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { targetId: owner.userId, type: "2fa.reenrolled" } });
    expect(audit.metadata).toMatchObject({ confirmedWith: "totp" });
    const later = at(t0, 150);
    expect(await signInWith(owner.email, { method: "totp", code: codeAt(owner.secret, later) }, later)).toBe(
      "INVALID_CODE",
    );
    expect(
      await signInWith(owner.email, { method: "totp", code: codeAt(newSecret, at(later, 30)) }, at(later, 30)),
    ).toBe("ok");
  });

  it("with a recovery code (the phone is lost) it moves 2FA and consumes that code", async () => {
    const { t0, owner, actor, newSecret } = await replacing();
    const t = at(t0, 90);
    const recovery = owner.recoveryCodes[3] ?? "";
    const r = await confirmTotpEnrollment(
      {
        actor,
        input: { password: PASSWORD, code: codeAt(newSecret, t), current: { method: "recovery", code: recovery } },
        context: ctx,
      },
      { now: t },
    );
    expect(r.reenrolled).toBe(true);
    // The recovery code was used (audited), then the whole set replaced by the new one.
    expect(
      await db.auditEvent.count({ where: { targetId: owner.userId, type: "2fa.recovery_code_used" } }),
    ).toBeGreaterThanOrEqual(1);
    const later = at(t0, 150);
    expect(await signInWith(owner.email, { method: "recovery", code: recovery }, later)).toBe("INVALID_CODE");
    expect(await signInWith(owner.email, { method: "recovery", code: r.recoveryCodes[0] ?? "" }, later)).toBe("ok");
  });

  it("a wrong password is refused before any code is looked at", async () => {
    const { t0, owner, actor, newSecret } = await replacing();
    const before = await factorState(owner.userId);
    const t = at(t0, 90);
    expect(
      await codeOf(
        confirmTotpEnrollment(
          {
            actor,
            input: {
              password: "wrong password",
              code: codeAt(newSecret, t),
              current: { method: "totp", code: codeAt(owner.secret, t) },
            },
            context: ctx,
          },
          { now: t },
        ),
      ),
    ).toBe("INVALID_PASSWORD");
    expect(await factorState(owner.userId)).toBe(before);
  });
});

describe("enrolling never counts as a step-up (S39)", () => {
  /** Org: an owner, an admin WITHOUT 2FA signed in with the password only, a member without 2FA, a member with it. */
  async function world() {
    const t0 = new Date();
    const owner = await createOrgWithOwner({ plan: "PROFESSIONAL" });
    const admin = await addMember(owner.actor, { role: "ADMIN", name: "Ada Admin" });
    const member = await withTwoFactor(await addMember(owner.actor, { name: "Max Member" }), t0);
    const bare = await addMember(owner.actor, { name: "Nora NoFactor" });
    const sessionId = await signIn(admin, t0);
    return { t0, owner, admin, member, bare, sessionId };
  }

  it("first enrollment: the admin's reset of a teammate and an exemption grant stay refused until a real step-up", async () => {
    const w = await world();
    const actor = { userId: w.admin.userId, sessionId: w.sessionId, organizationId: w.owner.organizationId };
    const t = at(w.t0, 60);
    const pending = await startTotpEnrollment({ actor, context: ctx }, { now: t });
    const secret = secretOf(pending.otpauthUri);
    await confirmTotpEnrollment(
      { actor, input: { password: PASSWORD, code: codeAt(secret, t) }, context: ctx },
      { now: t },
    );
    // The session passed 2FA (it is not gated) but did not step up.
    const session = await db.session.findUniqueOrThrow({ where: { id: w.sessionId } });
    expect(session.secondFactorAt).toEqual(t);
    expect(session.stepUpAt).toBeNull();

    const now = at(t, 30);
    const reset = () =>
      resetTeammateTwoFactor({ actor, input: { membershipId: w.member.membershipId }, context: ctx }, { now });
    const exempt = () =>
      grantTwoFactorExemption(
        { actor, input: { membershipId: w.bare.membershipId, days: 3, reason: "new phone" }, context: ctx },
        { now },
      );
    expect(await codeOf(reset())).toBe("STEP_UP_REQUIRED");
    expect(await codeOf(exempt())).toBe("STEP_UP_REQUIRED");
    expect(await db.totpFactor.count({ where: { userId: w.member.userId } })).toBe(1);
    expect(
      (await db.membership.findUniqueOrThrow({ where: { id: w.bare.membershipId } })).twoFactorExemptUntil,
    ).toBeNull();

    // A real step-up with the (now existing) factor unlocks both.
    await stepUp({ actor, input: { method: "totp", code: codeAt(secret, now) }, context: ctx }, { now });
    expect(await codeOf(reset())).toBe("ok");
    expect(await codeOf(exempt())).toBe("ok");
  });

  it("replacing the factor voids an earlier step-up of the session", async () => {
    const t0 = new Date();
    const owner = await withTwoFactor(await createOrgWithOwner({ plan: "PROFESSIONAL" }), t0);
    const member = await withTwoFactor(await addMember(owner, { name: "Max Member" }), t0);
    const actor = { userId: owner.userId, sessionId: owner.sessionId, organizationId: owner.organizationId };
    const t = at(t0, 60);
    const pending = await startTotpEnrollment({ actor, context: ctx }, { now: t });
    const newSecret = secretOf(pending.otpauthUri);
    await confirmTotpEnrollment(
      {
        actor,
        input: {
          password: PASSWORD,
          code: codeAt(newSecret, t),
          current: { method: "recovery", code: owner.recoveryCodes[0] ?? "" },
        },
        context: ctx,
      },
      { now: t },
    );
    expect((await db.session.findUniqueOrThrow({ where: { id: owner.sessionId } })).stepUpAt).toBeNull();
    const now = at(t, 30);
    const reset = () =>
      resetTeammateTwoFactor({ actor, input: { membershipId: member.membershipId }, context: ctx }, { now });
    expect(await codeOf(reset())).toBe("STEP_UP_REQUIRED");
    await stepUp({ actor, input: { method: "totp", code: codeAt(newSecret, now) }, context: ctx }, { now });
    expect(await codeOf(reset())).toBe("ok");
  });
});
