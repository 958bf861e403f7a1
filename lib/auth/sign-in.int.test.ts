// The sign-in module end to end in seconds: real services, real next-auth (its credentials provider run in-process)
// and next/headers' cookie jar as a request would provide it. S16: no session cookie before every factor passed;
// S19: the spent challenge cookie goes with the response that sets the session; S45: a database failure reaches the
// browser only as the generic message, and nothing is half done.
import { randomBytes } from "node:crypto";
import { decode } from "next-auth/jwt";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { createOrgWithOwner, ctx, PASSWORD, withTwoFactor } from "@/test/factories";
import { footprint, injectFault } from "@/test/fault";
import { toActionError } from "../actions/action-client";
import { totpAt } from "../crypto/totp";
import { authSecret } from "../env";
import { errorMessages, isDomainError } from "../errors";
import { loadActiveSession } from "../services/sessions/active-session";
import { passwordStep } from "../services/sign-in/password-step";

const jar = vi.hoisted(() => new Map<string, string>());
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name) } : undefined),
    set: (a: string | { name: string; value: string }, value?: string) =>
      typeof a === "string" ? jar.set(a, value ?? "") : jar.set(a.name, a.value),
    delete: (name: string) => jar.delete(name),
  }),
  headers: async () => new Headers(),
}));

const { CHALLENGE_COOKIE, SESSION_COOKIE } = await import("./cookies");
const { continueSignIn, finishSignIn } = await import("./sign-in");

/** The session id inside the JWT next-auth issued into the jar (null when there is none). */
async function sessionIdInJar(): Promise<string | null> {
  const raw = jar.get(SESSION_COOKIE);
  if (!raw) return null;
  const sid = (await decode({ token: raw, secret: authSecret() }))?.sid;
  return typeof sid === "string" ? sid : null;
}

beforeEach(() => jar.clear());

describe("sign-in module", () => {
  it("signs in at once when the password is all that is required: next-auth's JWT names a live session", async () => {
    const owner = await createOrgWithOwner();
    const pending = await passwordStep({ input: { email: owner.email, password: PASSWORD }, context: ctx });
    expect(await continueSignIn(pending, ctx)).toBe("none");
    const sid = await sessionIdInJar();
    expect(sid).not.toBeNull();
    expect((await loadActiveSession(sid ?? ""))?.userId).toBe(owner.userId);
    expect(jar.has(CHALLENGE_COOKIE)).toBe(false);
  });

  it("with 2FA: only the challenge cookie until the right code; a wrong code keeps the challenge for another try", async () => {
    const owner = await withTwoFactor(await createOrgWithOwner());
    const pending = await passwordStep({ input: { email: owner.email, password: PASSWORD }, context: ctx });
    expect(await continueSignIn(pending, ctx)).toBe("second-factor");
    expect(jar.get(CHALLENGE_COOKIE)).toBe(pending.challengeToken);
    expect(jar.has(SESSION_COOKIE)).toBe(false);

    const wrong = await finishSignIn({ method: "totp", code: "000000" }, ctx).catch((e: unknown) => e);
    expect(isDomainError(wrong, "INVALID_CODE") || isDomainError(wrong, "INVALID_CODE_FORMAT")).toBe(true);
    expect(toActionError(wrong)).toMatchObject({ ok: false, fieldErrors: { code: expect.any(String) } });
    expect(jar.has(SESSION_COOKIE)).toBe(false);
    expect(jar.get(CHALLENGE_COOKIE)).toBe(pending.challengeToken);

    const done = await finishSignIn({ method: "totp", code: totpAt(owner.secret, { time: Date.now() + 30_000 }) }, ctx);
    expect(done.authMethod).toBe("password+totp");
    expect(await sessionIdInJar()).toBe(done.sessionId);
    expect(jar.has(CHALLENGE_COOKIE)).toBe(false);
    // The challenge is spent: the same browser cannot turn it into a second session.
    expect(await finishSignIn(null, ctx).catch((e: unknown) => e)).toMatchObject({ code: "CHALLENGE_EXPIRED" });
  });

  it("a database failure reaches the browser only as the generic message, and nothing is half done", async () => {
    const owner = await createOrgWithOwner();
    const { challengeToken } = await passwordStep({ input: { email: owner.email, password: PASSWORD }, context: ctx });
    jar.set(CHALLENGE_COOKIE, challengeToken);
    const marker = `fault-${randomBytes(8).toString("hex")}`;
    const request = { ip: "127.0.0.1", userAgent: marker };
    const before = await footprint([owner.userId, marker]);
    const remove = await injectFault("Session", marker);
    const thrown = await finishSignIn(null, request).then(
      () => null,
      (e: unknown) => e,
    );
    await remove();
    expect(thrown).toBeInstanceOf(Error);
    expect(toActionError(thrown)).toEqual({ ok: false, code: "INTERNAL", error: errorMessages.INTERNAL });
    expect(await footprint([owner.userId, marker])).toEqual(before);
    expect(jar.has(SESSION_COOKIE)).toBe(false);
    // The pending sign-in was not used up: the same browser completes it once the database is healthy.
    expect(await finishSignIn(null, request)).toMatchObject({ userId: owner.userId, email: owner.email });
    expect(await sessionIdInJar()).not.toBeNull();
  });
});
