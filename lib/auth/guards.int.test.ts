// The guards themselves, in seconds (S21, S24): a real session row, a real next-auth JWT cookie (next-auth/jwt
// `encode`, the app's secret), and next/headers' cookies()/headers() as a request would provide them. Removing the
// organization 2FA gate from guards.ts, or letting loadActiveSession accept a revoked or expired session, fails here
// (before, only the e2e route sweep noticed).
import { encode } from "next-auth/jwt";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { addMember, createOrgWithOwner, ctx, PASSWORD, signIn, withTwoFactor } from "@/test/factories";
import { db } from "../db";
import { authSecret } from "../env";
import { isDomainError } from "../errors";
import { saveTwoFactorPolicy } from "../services/org-policy/change";
import { signOutSession } from "../services/sessions/sign-out-session";
import { completeSignIn } from "../services/sign-in/complete-sign-in";
import { passwordStep } from "../services/sign-in/password-step";

const request = vi.hoisted(() => ({ cookies: new Map<string, string>(), headers: new Map<string, string>() }));

vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (request.cookies.has(name) ? { name, value: request.cookies.get(name) } : undefined),
    has: (name: string) => request.cookies.has(name),
    getAll: () => [...request.cookies].map(([name, value]) => ({ name, value })),
  }),
  headers: async () => new Headers([...request.headers]),
}));

const { pageOrgRole, pageUser, requireOrgRole, requireUser, signedOutReason } = await import("./guards");
const { SETUP_PATH } = await import("../urls");
const { SESSION_COOKIE: sessionCookieName } = await import("./cookies");

/** The browser of `sessionId`: its next-auth cookie, on a request for `path`. */
async function browserOf(sessionId: string, userId: string, path = "/dashboard") {
  request.cookies.clear();
  request.headers.clear();
  request.cookies.set(
    sessionCookieName,
    await encode({ token: { sub: userId, sid: sessionId }, secret: authSecret() }),
  );
  request.headers.set("x-twofold-path", path);
}

/** What a guard did: returned, threw a DomainError (its code), or redirected (its target). */
async function outcome(guard: () => Promise<unknown>): Promise<string> {
  try {
    await guard();
    return "ok";
  } catch (e) {
    if (isDomainError(e)) return e.code;
    const digest = (e as { digest?: unknown }).digest;
    if (typeof digest === "string" && digest.startsWith("NEXT_REDIRECT")) return `redirect ${digest.split(";")[2]}`;
    if (typeof digest === "string" && digest.startsWith("NEXT_HTTP_ERROR_FALLBACK"))
      return `http ${digest.split(";")[1]}`;
    throw e;
  }
}

const all = async () => ({
  requireUser: await outcome(() => requireUser()),
  requireUserDuringSetup: await outcome(() => requireUser({ duringSetup: true })),
  requireOrgRole: await outcome(() => requireOrgRole()),
  pageUser: await outcome(() => pageUser()),
  pageUserDuringSetup: await outcome(() => pageUser({ duringSetup: true })),
  pageOrgRole: await outcome(() => pageOrgRole()),
});

const SIGN_IN = `redirect /sign-in?callbackUrl=${encodeURIComponent("/settings/users")}`;
const refusedEverywhere = {
  requireUser: "UNAUTHENTICATED",
  requireUserDuringSetup: "UNAUTHENTICATED",
  requireOrgRole: "UNAUTHENTICATED",
  pageUser: SIGN_IN,
  pageUserDuringSetup: SIGN_IN,
  pageOrgRole: SIGN_IN,
};
const allowed = {
  requireUser: "ok",
  requireUserDuringSetup: "ok",
  requireOrgRole: "ok",
  pageUser: "ok",
  pageUserDuringSetup: "ok",
  pageOrgRole: "ok",
};

describe("guards on a real session and a real next-auth cookie", () => {
  beforeEach(() => {
    request.cookies.clear();
    request.headers.clear();
  });

  it("a live session passes; signed out, revoked or expired it is refused at once (UNAUTHENTICATED / sign-in)", async () => {
    const owner = await createOrgWithOwner();
    const live = await signIn(owner);
    await browserOf(live, owner.userId, "/settings/users");
    expect(await all()).toEqual(allowed);

    await signOutSession({ input: { sessionId: live }, context: ctx });
    expect(await all()).toEqual(refusedEverywhere);

    const revoked = await signIn(owner);
    await browserOf(revoked, owner.userId, "/settings/users");
    expect(await all()).toEqual(allowed);
    await db.session.update({ where: { id: revoked }, data: { revokedAt: new Date(), revokedReason: "test" } });
    expect(await all()).toEqual(refusedEverywhere);

    const expired = await signIn(owner);
    await browserOf(expired, owner.userId, "/settings/users");
    await db.session.update({ where: { id: expired }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await all()).toEqual(refusedEverywhere);

    // No cookie, a cookie for a session that does not exist, a cookie signed with another secret.
    request.headers.set("x-twofold-path", "/settings/users");
    expect(await all()).toEqual(refusedEverywhere);
    await browserOf("no-such-session", owner.userId, "/settings/users");
    expect(await all()).toEqual(refusedEverywhere);
    request.cookies.set(
      sessionCookieName,
      await encode({ token: { sub: owner.userId, sid: live }, secret: "another-secret-of-at-least-32-characters!" }),
    );
    expect(await all()).toEqual(refusedEverywhere);
  });

  it("signedOutReason: why this browser's own session ended, from its cookie only (issue 10 item 4)", async () => {
    const owner = await createOrgWithOwner();
    const member = await addMember(owner.actor);
    const sid = await signIn(member);
    await browserOf(sid, member.userId);
    expect(await signedOutReason()).toBeNull(); // still signed in
    await db.session.update({
      where: { id: sid },
      data: { revokedAt: new Date(), revokedReason: "signed_out_by_admin" },
    });
    expect(await signedOutReason()).toBe("signed_out_by_admin");
    // Another browser (no cookie, another session's cookie, a forged cookie) learns nothing about it.
    request.cookies.clear();
    expect(await signedOutReason()).toBeNull();
    const bystander = await signIn(owner);
    await browserOf(bystander, owner.userId);
    expect(await signedOutReason()).toBeNull();
    request.cookies.set(
      sessionCookieName,
      await encode({ token: { sub: member.userId, sid }, secret: "another-secret-of-at-least-32-characters!" }),
    );
    expect(await signedOutReason()).toBeNull();
    // An expiry noticed on the way is recorded and told.
    const idle = await signIn(member);
    await db.session.update({ where: { id: idle }, data: { lastSeenAt: new Date(Date.now() - 3 * 24 * 3_600_000) } });
    await browserOf(idle, member.userId);
    expect(await signedOutReason()).toBe("idle_timeout");
  });

  it("a member an organization requires to set up 2FA reaches only the setup flow (S24)", async () => {
    const owner = await withTwoFactor(await createOrgWithOwner({ plan: "PROFESSIONAL" }));
    const member = await addMember(owner.actor);
    const before = await signIn(member);
    await browserOf(before, member.userId);
    expect(await all()).toEqual(allowed);

    const { policyVersion } = await db.organization.findUniqueOrThrow({ where: { id: owner.organizationId } });
    await saveTwoFactorPolicy({
      actor: { ...owner.actor, sessionId: owner.sessionId },
      input: {
        requireTwoFactor: true,
        mode: "NOW",
        confirmSoleAdmin: true,
        exemptSso: true,
        allowedMethods: ["TOTP"],
        expectedVersion: policyVersion,
      },
      context: ctx,
    });
    // "Sign out now" ended the session that existed.
    expect((await all()).requireUser).toBe("UNAUTHENTICATED");

    const after = await signIn(member);
    await browserOf(after, member.userId);
    expect(await all()).toEqual({
      requireUser: "TWO_FACTOR_SETUP_REQUIRED",
      requireUserDuringSetup: "ok",
      requireOrgRole: "TWO_FACTOR_SETUP_REQUIRED",
      pageUser: `redirect ${SETUP_PATH}`,
      pageUserDuringSetup: "ok",
      pageOrgRole: `redirect ${SETUP_PATH}`,
    });
    expect(await outcome(() => requireOrgRole("any", { duringSetup: true }))).toBe("ok");

    // The owner, who has 2FA, is not gated; once the member is exempted, neither are they.
    await browserOf(owner.sessionId, owner.userId);
    expect(await all()).toEqual(allowed);
    await db.membership.update({
      where: { id: member.membershipId },
      data: { twoFactorExemptUntil: new Date(Date.now() + 86_400_000) },
    });
    await browserOf(after, member.userId);
    expect(await all()).toEqual(allowed);
  });

  describe("a sign-in started before enforcement (issue 9, item 10): the gate is decided when the session is created", () => {
    const policy = async (
      owner: { actor: { userId: string; organizationId: string }; sessionId: string },
      mode: "NOW" | "NEXT_SIGN_IN",
      now = new Date(),
    ) => {
      const { policyVersion } = await db.organization.findUniqueOrThrow({ where: { id: owner.actor.organizationId } });
      return saveTwoFactorPolicy(
        {
          actor: { ...owner.actor, sessionId: owner.sessionId },
          input: {
            requireTwoFactor: true,
            mode,
            exemptSso: true,
            allowedMethods: ["TOTP"],
            expectedVersion: policyVersion,
            confirmSoleAdmin: true,
          },
          context: ctx,
        },
        { now },
      );
    };

    it("password before 'sign out now', session after: setup only, and still after the owner loosens to 'at next sign-in'", async () => {
      const owner = await withTwoFactor(await createOrgWithOwner({ plan: "PROFESSIONAL" }));
      const member = await addMember(owner.actor);
      const { challengeToken } = await passwordStep({
        input: { email: member.email, password: PASSWORD },
        context: ctx,
      });
      await policy(owner, "NOW");
      const { sessionId } = await completeSignIn({ input: { challengeToken }, context: ctx });
      await browserOf(sessionId, member.userId);
      expect(await outcome(() => requireUser())).toBe("TWO_FACTOR_SETUP_REQUIRED");
      expect(await outcome(() => pageUser())).toBe(`redirect ${SETUP_PATH}`);
      // "At next sign-in" spares sessions that started without the requirement, not one that started gated.
      await policy(owner, "NEXT_SIGN_IN");
      expect(await outcome(() => requireUser())).toBe("TWO_FACTOR_SETUP_REQUIRED");
      expect(await outcome(() => pageOrgRole())).toBe(`redirect ${SETUP_PATH}`);
      expect(await outcome(() => requireUser({ duringSetup: true }))).toBe("ok");
    });

    it("'at next sign-in' saved while the sign-in completes (its clock read just before): the new session is gated", async () => {
      const owner = await withTwoFactor(await createOrgWithOwner({ plan: "PROFESSIONAL" }));
      const member = await addMember(owner.actor);
      const t0 = new Date(Date.now() - 3000);
      const { challengeToken } = await passwordStep(
        { input: { email: member.email, password: PASSWORD }, context: ctx },
        { tx: db, now: t0 },
      );
      const clockReadBySignIn = new Date(t0.getTime() + 1000);
      await policy(owner, "NEXT_SIGN_IN", new Date(t0.getTime() + 2000));
      const { sessionId } = await completeSignIn(
        { input: { challengeToken }, context: ctx },
        { now: clockReadBySignIn },
      );
      await browserOf(sessionId, member.userId);
      expect(await outcome(() => requireUser())).toBe("TWO_FACTOR_SETUP_REQUIRED");
      expect(await outcome(() => pageUser())).toBe(`redirect ${SETUP_PATH}`);
    });
  });
});
