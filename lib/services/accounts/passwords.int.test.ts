// Issue 10 items 1 and 2: password change (S21: the other sessions end, the current one stays) and "forgot password"
// (S18: a reset never signs anyone in past 2FA and never turns 2FA off), with the throttling of reset requests.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createOrgWithOwner, ctx, PASSWORD, signIn, uniqueEmail, withTwoFactor } from "@/test/factories";
import { mailData } from "@/test/mail";
import { hashToken } from "../../crypto/tokens";
import { totpAt } from "../../crypto/totp";
import { db } from "../../db";
import { isDomainError } from "../../errors";
import type { RequestContext } from "../audit/audit-log";
import { createSession } from "../sessions/create-session";
import { passwordStep } from "../sign-in/password-step";
import { changePassword } from "./change-password";
import { requestPasswordReset } from "./request-password-reset";
import { describePasswordResetToken, resetPassword } from "./reset-password";

const NEW_PASSWORD = "a brand new passphrase 42";
const SECOND = 1000;
const later = (t: Date, ms: number) => new Date(t.getTime() + ms);
/** A network of its own per test: the reset and password limits are per IP. */
const network = (): RequestContext => {
  const b = randomBytes(3);
  return { ip: `10.${b[0]}.${b[1]}.${b[2]}`, userAgent: "vitest" };
};
const codeOf = (e: unknown) => (isDomainError(e) ? e.code : String(e));
const fieldsOf = (e: unknown) => (isDomainError(e) ? Object.keys(e.fields ?? {}).sort() : []);

async function liveSessions(userId: string) {
  return (await db.session.findMany({ where: { userId, revokedAt: null }, select: { id: true } })).map((s) => s.id);
}
async function resetMails(to: string) {
  return db.outboxMessage.findMany({ where: { to, template: "password-reset" }, orderBy: { createdAt: "asc" } });
}
/** Another signed-in device of a 2FA user (as a sign-in with a code would create it). */
async function anotherSession(userId: string): Promise<string> {
  return (await createSession(db, { userId, authMethod: "password+totp", context: ctx })).id;
}
/** The raw token of the newest reset mail to `to`, read as the person reads it (the sealed link opened). */
async function resetTokenFor(to: string): Promise<string> {
  const rows = await resetMails(to);
  const url = String(mailData<{ resetUrl?: string }>(rows.at(-1)).resetUrl ?? "");
  const token = url.split("/reset-password/")[1];
  if (!token) throw new Error(`no reset mail for ${to}`);
  return token;
}
async function passwordWorks(email: string, password: string, context = network()) {
  return passwordStep({ input: { email, password }, context }).then(
    (r) => r.requirement,
    (e) => codeOf(e),
  );
}

describe("forgot password: the emailed link (S18)", () => {
  it("mails a sealed single-use link; the reset keeps 2FA, signs out every session, signs nobody in", async () => {
    const t0 = new Date();
    const owner = await withTwoFactor(await createOrgWithOwner(), t0);
    const other = await anotherSession(owner.userId);
    const pending = await passwordStep({ input: { email: owner.email, password: PASSWORD }, context: ctx });
    const codesBefore = await db.recoveryCode.count({ where: { userId: owner.userId, usedAt: null } });
    expect(await liveSessions(owner.userId)).toEqual(expect.arrayContaining([owner.sessionId, other]));

    const context = network();
    expect(await requestPasswordReset({ input: { email: owner.email.toUpperCase() }, context })).toEqual({
      expiresInMinutes: 30,
    });
    const [mail] = await resetMails(owner.email);
    const token = await resetTokenFor(owner.email);
    // ≥ 128 bits: 32 random bytes, base64url; only the sha256 is stored; the link in the queued mail is sealed (S41).
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await db.passwordResetToken.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(30 * 60 * SECOND);
    expect(JSON.stringify(row)).not.toContain(token);
    expect(JSON.stringify(mail?.payload)).not.toContain(token);
    const described = await describePasswordResetToken({ input: { token } });
    expect(described).toMatchObject({ email: owner.email, name: "Owner Person" });

    const sessionsBefore = await db.session.count({ where: { userId: owner.userId } });
    const done = await resetPassword({ input: { token, password: NEW_PASSWORD }, context });
    expect(done).toEqual({ email: owner.email, sessionsRevoked: 2 });
    // Every session ended, none was created, and the half-finished sign-in cannot finish.
    expect(await liveSessions(owner.userId)).toEqual([]);
    expect(await db.session.count({ where: { userId: owner.userId } })).toBe(sessionsBefore);
    const challenge = await db.signInChallenge.findUniqueOrThrow({
      where: { tokenHash: hashToken(pending.challengeToken) },
    });
    expect(challenge.consumedAt).not.toBeNull();
    // 2FA untouched: the factor and every recovery code are still there, and the next sign-in asks for a code.
    expect(await db.totpFactor.count({ where: { userId: owner.userId } })).toBe(1);
    expect(await db.recoveryCode.count({ where: { userId: owner.userId, usedAt: null } })).toBe(codesBefore);
    expect(await passwordWorks(owner.email, PASSWORD)).toBe("INVALID_CREDENTIALS");
    expect(await passwordWorks(owner.email, NEW_PASSWORD)).toBe("second-factor");
    // Audited (requested, completed) and mailed.
    const types = (await db.auditEvent.findMany({ where: { targetId: owner.userId } })).map((a) => a.type);
    expect(types).toEqual(expect.arrayContaining(["password.reset_requested", "password.reset_completed"]));
    const notice = await db.outboxMessage.findFirstOrThrow({
      where: { to: owner.email, template: "password-changed" },
    });
    expect(notice.payload).toMatchObject({ how: "reset", sessionsRevoked: 2 });
    // Single use.
    await expect(
      resetPassword({ input: { token, password: "yet another passphrase" }, context }),
    ).rejects.toMatchObject({ code: "PASSWORD_RESET_USED" });
    await expect(describePasswordResetToken({ input: { token } })).rejects.toMatchObject({
      code: "PASSWORD_RESET_USED",
    });
  });

  it("parallel submits of one link: exactly one succeeds", async () => {
    const owner = await createOrgWithOwner();
    await requestPasswordReset({ input: { email: owner.email }, context: network() });
    const token = await resetTokenFor(owner.email);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        resetPassword({ input: { token, password: `${NEW_PASSWORD} number ${i}` }, context: network() }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(refused.map((r) => codeOf(r.reason))).toEqual(Array(7).fill("PASSWORD_RESET_USED"));
    expect(await db.auditEvent.count({ where: { targetId: owner.userId, type: "password.reset_completed" } })).toBe(1);
  });

  it("refuses an expired link (fake clock), an unknown one, and a weak password without using the link", async () => {
    const owner = await createOrgWithOwner();
    const t0 = new Date();
    await requestPasswordReset({ input: { email: owner.email }, context: network() }, { now: t0 });
    const token = await resetTokenFor(owner.email);
    const input = { token, password: NEW_PASSWORD };
    await expect(
      resetPassword({ input, context: network() }, { now: later(t0, 30 * 60 * SECOND + 1) }),
    ).rejects.toMatchObject({ code: "PASSWORD_RESET_EXPIRED" });
    await expect(
      resetPassword({ input: { ...input, token: "x".repeat(43) }, context: network() }, { now: t0 }),
    ).rejects.toMatchObject({ code: "PASSWORD_RESET_INVALID" });
    // The sign-up rules, plus the person's own email and name.
    for (const password of ["short", "Owner Person 2026!", `${owner.email.split("@")[0]}-secret`]) {
      const e = await resetPassword({ input: { token, password }, context: network() }, { now: t0 }).catch((x) => x);
      expect([codeOf(e), fieldsOf(e)], password).toEqual(["VALIDATION", ["password"]]);
    }
    expect(await passwordWorks(owner.email, PASSWORD)).toBe("none");
    await resetPassword({ input, context: network() }, { now: later(t0, 29 * 60 * SECOND) });
    expect(await passwordWorks(owner.email, NEW_PASSWORD)).toBe("none");
  });

  it("the same answer for an unknown email and an SSO account, and no link for either", async () => {
    const unknown = uniqueEmail("nobody");
    const answer = await requestPasswordReset({ input: { email: unknown }, context: network() });
    const owner = await createOrgWithOwner();
    await db.user.update({ where: { id: owner.userId }, data: { signInMethod: "SSO", passwordHash: null } });
    expect(await requestPasswordReset({ input: { email: owner.email }, context: network() })).toEqual(answer);
    expect(await resetMails(unknown)).toHaveLength(0);
    expect(await resetMails(owner.email)).toHaveLength(0);
    expect(await db.passwordResetToken.count({ where: { userId: owner.userId } })).toBe(0);
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { targetId: owner.userId, type: "password.reset_requested" },
    });
    expect(audit.metadata).toEqual({ reason: "sso" });
  });
});

describe("forgot password: throttling", () => {
  it("per account: five links an hour, then the same answer and no mail, from any network", async () => {
    const owner = await createOrgWithOwner();
    const t0 = new Date();
    for (let i = 0; i < 5; i++)
      await requestPasswordReset({ input: { email: owner.email }, context: network() }, { now: t0 });
    const answer = await requestPasswordReset({ input: { email: owner.email }, context: network() }, { now: t0 });
    expect(answer).toEqual({ expiresInMinutes: 30 });
    expect(await resetMails(owner.email)).toHaveLength(5);
    // An unknown address is limited exactly alike (no enumeration through the limit).
    const unknown = uniqueEmail("nobody");
    for (let i = 0; i < 7; i++)
      expect(await requestPasswordReset({ input: { email: unknown }, context: network() }, { now: t0 })).toEqual(
        answer,
      );
    // An hour later the account may ask again.
    await requestPasswordReset(
      { input: { email: owner.email }, context: network() },
      { now: later(t0, 3600 * SECOND + 1) },
    );
    expect(await resetMails(owner.email)).toHaveLength(6);
  });

  it("per network: twenty requests an hour, then a refusal saying when to try again", async () => {
    const context = network();
    const t0 = new Date();
    for (let i = 0; i < 20; i++)
      await requestPasswordReset({ input: { email: uniqueEmail("probe") }, context }, { now: t0 });
    const owner = await createOrgWithOwner();
    const e = await requestPasswordReset({ input: { email: owner.email }, context }, { now: t0 }).catch((x) => x);
    expect(codeOf(e)).toBe("PASSWORD_RESET_RATE_LIMITED");
    expect((e as Error).message).toMatch(/Try again after .*\d\d:\d\d/);
    expect(await resetMails(owner.email)).toHaveLength(0);
    // Another network is not affected.
    await requestPasswordReset({ input: { email: owner.email }, context: network() }, { now: t0 });
    expect(await resetMails(owner.email)).toHaveLength(1);
  });
});

describe("password change (S21)", () => {
  async function ownerWithSessions() {
    const t0 = new Date();
    const owner = await withTwoFactor(await createOrgWithOwner(), t0);
    const others = [await anotherSession(owner.userId), await anotherSession(owner.userId)];
    const actor = { userId: owner.userId, sessionId: owner.sessionId, organizationId: null };
    const t1 = later(t0, 30 * SECOND);
    return { owner, others, actor, t1, code: totpAt(owner.secret, { time: t1.getTime() }) };
  }
  const hashOf = async (userId: string) =>
    (await db.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true } })).passwordHash;

  it("with the current password and an app code: the other sessions end, this one stays; audited and mailed", async () => {
    const { owner, others, actor, t1, code } = await ownerWithSessions();
    const r = await changePassword(
      {
        actor,
        input: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, method: "totp", code },
        context: network(),
      },
      { now: t1 },
    );
    expect(r).toEqual({ otherSessionsRevoked: 2 });
    expect(await liveSessions(owner.userId)).toEqual([owner.sessionId]);
    const revoked = await db.session.findMany({ where: { id: { in: others } } });
    expect(revoked.map((s) => s.revokedReason)).toEqual(["password_changed", "password_changed"]);
    expect(await db.totpFactor.count({ where: { userId: owner.userId } })).toBe(1);
    expect(await passwordWorks(owner.email, PASSWORD)).toBe("INVALID_CREDENTIALS");
    expect(await passwordWorks(owner.email, NEW_PASSWORD)).toBe("second-factor");
    const audit = await db.auditEvent.findFirstOrThrow({ where: { actorId: owner.userId, type: "password.changed" } });
    expect(audit.metadata).toEqual({ otherSessionsRevoked: 2 });
    const mail = await db.outboxMessage.findFirstOrThrow({ where: { to: owner.email, template: "password-changed" } });
    expect(mail.payload).toMatchObject({ how: "changed", sessionsRevoked: 2 });
  });

  it("a recovery code also proves the second factor", async () => {
    const { owner, actor, t1 } = await ownerWithSessions();
    const code = owner.recoveryCodes[0] ?? "";
    await changePassword(
      {
        actor,
        input: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, method: "recovery", code },
        context: network(),
      },
      { now: t1 },
    );
    expect(await passwordWorks(owner.email, NEW_PASSWORD)).toBe("second-factor");
  });

  it("a wrong current password, a wrong or missing code, or a weak new password change nothing", async () => {
    const { owner, others, actor, t1, code } = await ownerWithSessions();
    const before = await hashOf(owner.userId);
    const attempt = (input: Parameters<typeof changePassword>[0]["input"]) =>
      changePassword({ actor, input, context: network() }, { now: t1 }).catch((e) => e);
    const good = { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, method: "totp" as const, code };

    let e = await attempt({ ...good, currentPassword: "not my password at all" });
    expect([codeOf(e), fieldsOf(e)]).toEqual(["INVALID_PASSWORD", ["currentPassword"]]);
    e = await attempt({ ...good, code: code === "000000" ? "111111" : "000000" });
    expect(codeOf(e)).toBe("INVALID_CODE");
    e = await attempt({ ...good, code: "" });
    expect([codeOf(e), fieldsOf(e)]).toEqual(["VALIDATION", ["code"]]);
    e = await attempt({ ...good, newPassword: "Owner Person rules" });
    expect([codeOf(e), fieldsOf(e)]).toEqual(["VALIDATION", ["newPassword"]]);
    e = await attempt({ ...good, newPassword: PASSWORD });
    expect([codeOf(e), fieldsOf(e)]).toEqual(["VALIDATION", ["newPassword"]]);

    expect(await hashOf(owner.userId)).toBe(before);
    expect((await liveSessions(owner.userId)).sort()).toEqual([owner.sessionId, ...others].sort());
    expect(await db.auditEvent.count({ where: { actorId: owner.userId, type: "password.changed" } })).toBe(0);
    expect(await db.outboxMessage.count({ where: { to: owner.email, template: "password-changed" } })).toBe(0);
    // The code was not used up by the refused attempts.
    await changePassword({ actor, input: good, context: network() }, { now: t1 });
    expect(await hashOf(owner.userId)).not.toBe(before);
  });

  it("without 2FA the current password is enough; an SSO account has no password to change", async () => {
    const owner = await createOrgWithOwner();
    const sessionId = await signIn(owner);
    const other = await signIn(owner);
    const actor = { userId: owner.userId, sessionId, organizationId: null };
    await changePassword({
      actor,
      input: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
      context: network(),
    });
    expect(await liveSessions(owner.userId)).toEqual([sessionId]);
    expect((await db.session.findUniqueOrThrow({ where: { id: other } })).revokedAt).not.toBeNull();
    await db.user.update({ where: { id: owner.userId }, data: { signInMethod: "SSO", passwordHash: null } });
    await expect(
      changePassword({
        actor,
        input: { currentPassword: NEW_PASSWORD, newPassword: "whatever passphrase 9" },
        context: network(),
      }),
    ).rejects.toMatchObject({ code: "PASSWORD_NOT_SET" });
  });
});
