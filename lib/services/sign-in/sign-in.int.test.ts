import { describe, expect, it } from "vitest";
import { createOrgWithOwner, ctx, PASSWORD, uniqueEmail } from "@/test/factories";
import { hashToken } from "../../crypto/tokens";
import { db } from "../../db";
import { DomainError } from "../../errors";
import { passwordKeys } from "../rate-limit/password-limits";
import { completeSignIn } from "./complete-sign-in";
import { passwordStep } from "./password-step";

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof DomainError ? e.code : String(e)),
  );

describe("password step", () => {
  it("gives the same generic error for a wrong password and an unknown email, and audits the failure", async () => {
    const { email, userId, organizationId } = await createOrgWithOwner();
    const wrong = await passwordStep({ input: { email, password: "wrong password!" }, context: ctx }).catch((e) => e);
    const unknown = await passwordStep({
      input: { email: uniqueEmail("nobody"), password: "wrong password!" },
      context: ctx,
    }).catch((e) => e);
    expect(wrong).toBeInstanceOf(DomainError);
    expect(wrong.code).toBe("INVALID_CREDENTIALS");
    expect(unknown.message).toBe(wrong.message);
    const audit = await db.auditEvent.findMany({ where: { organizationId, type: "signin.failed", targetId: userId } });
    expect(audit).toHaveLength(1);
    expect(audit[0]?.ip).toBe("127.0.0.1");
    expect(JSON.stringify(audit[0]?.metadata)).not.toContain("wrong password");
  });

  // Policy changed in issue 9 (item 3): a lock is per (account, network); the account as a whole only slows down.
  it("locks the account for one network after 10 failures, even for the right password; another network still signs in", async () => {
    const { email, organizationId } = await createOrgWithOwner();
    const net = { ip: "198.51.100.77", userAgent: "vitest" };
    const codes: string[] = [];
    for (let i = 0; i < 10; i++)
      codes.push(await codeOf(passwordStep({ input: { email, password: "not-the-password" }, context: net })));
    expect(codes.slice(0, 9).every((c) => c === "INVALID_CREDENTIALS")).toBe(true);
    expect(codes[9]).toBe("RATE_LIMITED");
    expect(await codeOf(passwordStep({ input: { email, password: PASSWORD }, context: net }))).toBe("RATE_LIMITED");
    expect(await db.auditEvent.count({ where: { organizationId, type: "signin.locked" } })).toBe(1);
    expect(
      await codeOf(
        passwordStep({ input: { email, password: PASSWORD }, context: { ip: "198.51.100.78", userAgent: "t" } }),
      ),
    ).toBe("ok");
  });

  it("counts concurrent failures exactly (atomic increment)", async () => {
    const { email } = await createOrgWithOwner();
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        codeOf(
          passwordStep({
            input: { email, password: `nope-${i}-xxxxxx` },
            context: { ip: `203.0.113.${i}`, userAgent: "t" },
          }),
        ),
      ),
    );
    const row = await db.rateLimit.findUnique({ where: { key: passwordKeys.account(email) } });
    expect(row?.failures).toBe(8);
    expect(row?.count).toBe(8);
  });
});

describe("completing sign-in (S16, S19)", () => {
  it("creates exactly one session per challenge, stores only the token's hash, and refuses reuse", async () => {
    const { email, userId } = await createOrgWithOwner();
    const { challengeToken, requirement } = await passwordStep({ input: { email, password: PASSWORD }, context: ctx });
    expect(requirement).toBe("none");
    const stored = await db.signInChallenge.findFirstOrThrow({ where: { userId }, orderBy: { createdAt: "desc" } });
    expect(stored.tokenHash).toBe(hashToken(challengeToken));
    expect(stored.tokenHash).not.toContain(challengeToken);
    expect(await db.session.count({ where: { userId } })).toBe(0); // password alone: no session

    const results = await Promise.all(
      Array.from({ length: 10 }, () => codeOf(completeSignIn({ input: { challengeToken }, context: ctx }))),
    );
    expect(results.filter((r) => r === "ok")).toHaveLength(1);
    expect(results.filter((r) => r === "CHALLENGE_EXPIRED")).toHaveLength(9);
    expect(await db.session.count({ where: { userId } })).toBe(1);
    expect(await codeOf(completeSignIn({ input: { challengeToken }, context: ctx }))).toBe("CHALLENGE_EXPIRED");
  });

  it("refuses an expired challenge and a missing one", async () => {
    const { email, userId } = await createOrgWithOwner();
    const { challengeToken } = await passwordStep({ input: { email, password: PASSWORD }, context: ctx });
    const later = new Date(Date.now() + 5 * 60_000 + 1000);
    expect(await codeOf(completeSignIn({ input: { challengeToken }, context: ctx }, { now: later }))).toBe(
      "CHALLENGE_EXPIRED",
    );
    expect(await codeOf(completeSignIn({ input: { challengeToken: null }, context: ctx }))).toBe("CHALLENGE_EXPIRED");
    expect(await codeOf(completeSignIn({ input: { challengeToken: "forged-token-value" }, context: ctx }))).toBe(
      "CHALLENGE_EXPIRED",
    );
    expect(await db.session.count({ where: { userId } })).toBe(0);
  });

  it("records the session with IP, user agent and an absolute expiry, and audits the sign-in", async () => {
    const { email, userId, organizationId } = await createOrgWithOwner();
    const { challengeToken } = await passwordStep({ input: { email, password: PASSWORD }, context: ctx });
    const done = await completeSignIn({
      input: { challengeToken },
      context: { ip: "192.0.2.7", userAgent: "Firefox" },
    });
    const session = await db.session.findUniqueOrThrow({ where: { id: done.sessionId } });
    expect(session.ip).toBe("192.0.2.7");
    expect(session.userAgent).toBe("Firefox");
    expect(session.expiresAt.getTime() - session.createdAt.getTime()).toBe(12 * 3_600_000);
    expect(await db.auditEvent.count({ where: { organizationId, type: "signin.succeeded", actorId: userId } })).toBe(1);
  });
});
