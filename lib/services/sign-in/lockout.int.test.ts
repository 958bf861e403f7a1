// Lockouts under attack (issue 9 items 2, 3, 11; S9–S11, S36) against a real PostgreSQL: hundreds of parallel wrong
// codes and passwords, races with a success, lockout as a weapon, enumeration, and two app processes.
// Evaluations are counted honestly: the argon2 verify and the TOTP match functions are wrapped (vi.mock keeps the
// real implementations) and every call is counted.
import { execFile } from "node:child_process";
import { randomInt } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { createOrgWithOwner, invitationTokenFor, PASSWORD, uniqueEmail } from "@/test/factories";
import { totpAt } from "../../crypto/totp";
import { db } from "../../db";
import { DomainError } from "../../errors";
import { passwordKeys } from "../rate-limit/password-limits";
import { acceptInvitation } from "../teammates/accept-invitation";
import { inviteMember } from "../teammates/invite";
import { confirmTotpEnrollment } from "../two-factor/confirm-enrollment";
import { checkEmailCode, sendEnrollmentEmailCode } from "../two-factor/email-codes";
import { startTotpEnrollment } from "../two-factor/enrollment";
import { secondFactorKey } from "../two-factor/lock-policy";
import { completeSignIn } from "./complete-sign-in";
import { passwordStep } from "./password-step";

const counts = vi.hoisted(() => ({ argon2: 0, totp: 0 }));
vi.mock("@node-rs/argon2", async (importOriginal) => {
  const real = await importOriginal<typeof import("@node-rs/argon2")>();
  return {
    ...real,
    verify: (...args: Parameters<typeof real.verify>) => {
      counts.argon2++;
      return real.verify(...args);
    },
  };
});
vi.mock("../../crypto/totp", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../crypto/totp")>();
  return {
    ...real,
    matchTotp: (...args: Parameters<typeof real.matchTotp>) => {
      counts.totp++;
      return real.matchTotp(...args);
    },
  };
});

beforeEach(() => {
  counts.argon2 = 0;
  counts.totp = 0;
});

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof DomainError ? e.code : `unexpected: ${String(e)}`),
  );
const outcome = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof DomainError ? `${e.code}: ${e.message}` : `unexpected: ${String(e)}`),
  );
/** A network of its own for each test (the per-network limit is shared by every test of the run otherwise). */
const network = () => ({ ip: `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`, userAgent: "vitest" });
const SMALL = 2; // the "small constant" of S36

async function userWithTwoFactor() {
  const owner = await createOrgWithOwner();
  const net = network();
  const { challengeToken } = await passwordStep({ input: { email: owner.email, password: PASSWORD }, context: net });
  const { sessionId } = await completeSignIn({ input: { challengeToken }, context: net });
  const actor = { userId: owner.userId, sessionId, organizationId: null };
  const secret =
    new URL((await startTotpEnrollment({ actor, context: net })).otpauthUri).searchParams.get("secret") ??
    "missing secret";
  const { recoveryCodes } = await confirmTotpEnrollment({
    actor,
    input: { password: PASSWORD, code: totpAt(secret, { time: Date.now() }) },
    context: net,
  });
  return { ...owner, secret, recoveryCodes };
}

async function challengesFor(email: string, n: number, net = network()): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++)
    out.push((await passwordStep({ input: { email, password: PASSWORD }, context: net })).challengeToken);
  return out;
}

describe("S36: parallel wrong codes are refused before they are checked", () => {
  for (const n of [200, 1000]) {
    it(`${n} parallel wrong TOTP codes: at most 10 + ${SMALL} are evaluated; then the right code is refused while locked`, async () => {
      const u = await userWithTwoFactor();
      const [challenge] = await challengesFor(u.email, 1);
      const net = network();
      const wrong = totpAt(u.secret, { time: Date.now() + 3600_000 }); // a real code, for another hour
      counts.totp = 0;
      const results = await Promise.all(
        Array.from({ length: n }, () =>
          codeOf(
            completeSignIn({
              input: { challengeToken: challenge, secondFactor: { method: "totp", code: wrong } },
              context: net,
            }),
          ),
        ),
      );
      expect(results.filter((r) => r !== "INVALID_CODE" && r !== "SECOND_FACTOR_LOCKED")).toEqual([]);
      expect(counts.totp).toBeLessThanOrEqual(10 + SMALL);
      expect(await db.auditEvent.count({ where: { targetId: u.userId, type: "2fa.failed" } })).toBeLessThanOrEqual(
        10 + SMALL,
      );
      const right = await outcome(
        completeSignIn({
          input: {
            challengeToken: challenge,
            secondFactor: { method: "totp", code: totpAt(u.secret, { time: Date.now() }) },
          },
          context: net,
        }),
      );
      expect(right).toMatch(/^SECOND_FACTOR_LOCKED: .*Try again after (\d+ \w+ \d{4}, )?\d\d:\d\d UTC/);
      expect(await db.session.count({ where: { userId: u.userId, authMethod: { contains: "totp" } } })).toBe(0);
      // The user is told (once) that the account locked.
      expect(await db.outboxMessage.count({ where: { to: u.email, template: "account-locked" } })).toBe(1);
    });

    it(`${n} parallel wrong passwords from one network: at most 10 + ${SMALL} hashes checked; then the right password is refused`, async () => {
      const { email, userId } = await createOrgWithOwner();
      const net = network();
      const challengesBefore = await db.signInChallenge.count({ where: { userId } }); // sign-up's own
      counts.argon2 = 0;
      const results = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          codeOf(passwordStep({ input: { email, password: `wrong password ${i}` }, context: net })),
        ),
      );
      expect(results.every((r) => r === "INVALID_CREDENTIALS" || r === "RATE_LIMITED")).toBe(true);
      expect(counts.argon2).toBeLessThanOrEqual(10 + SMALL);
      expect(await db.auditEvent.count({ where: { targetId: userId, type: "signin.failed" } })).toBeLessThanOrEqual(
        10 + SMALL,
      );
      counts.argon2 = 0;
      expect(await outcome(passwordStep({ input: { email, password: PASSWORD }, context: net }))).toMatch(
        /^RATE_LIMITED: .*Try again after (\d+ \w+ \d{4}, )?\d\d:\d\d UTC/,
      );
      expect(counts.argon2).toBe(0); // refused before the hash
      expect(await db.signInChallenge.count({ where: { userId } })).toBe(challengesBefore);
      expect(await db.outboxMessage.count({ where: { to: email, template: "account-locked" } })).toBe(1);
    });
  }

  it("50 parallel wrong email codes: at most 5 are checked, and the right code is refused afterwards", async () => {
    const { userId, email } = await createOrgWithOwner();
    await sendEnrollmentEmailCode({ actor: { userId: userId }, context: network() });
    const mail = await db.outboxMessage.findFirstOrThrow({ where: { to: email, template: "email-code" } });
    const code = String((mail.payload as { code?: string }).code);
    const wrong = code === "000000" ? "111111" : "000000";
    const results = await Promise.all(Array.from({ length: 50 }, () => codeOf(checkEmailCode(userId, wrong))));
    expect(results.every((r) => r === "EMAIL_CODE_INVALID")).toBe(true);
    const row = await db.emailCode.findFirstOrThrow({ where: { userId }, orderBy: { createdAt: "desc" } });
    expect(row.attempts).toBeLessThanOrEqual(5);
    expect(await codeOf(checkEmailCode(userId, code))).toBe("EMAIL_CODE_INVALID");
  });
});

describe("S36: a request that loses a race to a success is not a failure", () => {
  it("50 parallel uses of one recovery code → exactly 1 session, and the failure counter and lock untouched", async () => {
    const u = await userWithTwoFactor();
    const challenges = await challengesFor(u.email, 50);
    const net = network();
    const code = u.recoveryCodes[0] as string;
    const results = await Promise.all(
      challenges.map((c) =>
        codeOf(
          completeSignIn({ input: { challengeToken: c, secondFactor: { method: "recovery", code } }, context: net }),
        ),
      ),
    );
    expect(results.filter((r) => r === "ok")).toHaveLength(1);
    expect(await db.session.count({ where: { userId: u.userId, authMethod: "password+recovery-code" } })).toBe(1);
    const row = await db.rateLimit.findUnique({ where: { key: secondFactorKey(u.userId) } });
    expect(row?.failures ?? 0).toBe(0);
    expect(row?.lockedUntil ?? null).toBeNull();
    expect(
      await db.auditEvent.count({ where: { targetId: u.userId, type: { in: ["2fa.failed", "2fa.locked"] } } }),
    ).toBe(0);
    // Not locked: the next sign-in with the app works at once.
    const [next] = await challengesFor(u.email, 1);
    const t = Date.now() + 30_000;
    expect(
      await codeOf(
        completeSignIn(
          {
            input: { challengeToken: next, secondFactor: { method: "totp", code: totpAt(u.secret, { time: t }) } },
            context: net,
          },
          { now: new Date(t) },
        ),
      ),
    ).toBe("ok");
  });

  it("50 parallel submissions of one TOTP code → 1 session; the losers neither count nor lock", async () => {
    const u = await userWithTwoFactor();
    const challenges = await challengesFor(u.email, 50);
    const t = new Date(Date.now() + 60_000);
    const code = totpAt(u.secret, { time: t.getTime() });
    const results = await Promise.all(
      challenges.map((c) =>
        codeOf(
          completeSignIn(
            { input: { challengeToken: c, secondFactor: { method: "totp", code } }, context: network() },
            { now: t },
          ),
        ),
      ),
    );
    expect(results.filter((r) => r === "ok")).toHaveLength(1);
    const row = await db.rateLimit.findUniqueOrThrow({ where: { key: secondFactorKey(u.userId) } });
    expect(row).toMatchObject({ failures: 0, lockedUntil: null });
  });
});

describe("lockout is not a weapon (issue 9 item 3)", () => {
  it("failures from one network do not lock the account for another; the whole account only slows (≤ 15 min locks)", async () => {
    const { email, userId } = await createOrgWithOwner();
    const challengesBefore = await db.signInChallenge.count({ where: { userId } }); // sign-up's own
    const attacker = network();
    for (let i = 0; i < 12; i++)
      await codeOf(passwordStep({ input: { email, password: `guess ${i}` }, context: attacker }));
    expect(await codeOf(passwordStep({ input: { email, password: PASSWORD }, context: attacker }))).toBe(
      "RATE_LIMITED",
    );
    expect(await codeOf(passwordStep({ input: { email, password: PASSWORD }, context: network() }))).toBe("ok");

    // A botnet: 30 networks per round, round after round. The account is paused, never for more than 15 minutes, and
    // the owner signs in from their own network as soon as a pause ends.
    let now = new Date();
    for (let round = 0; round < 6; round++) {
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          codeOf(
            passwordStep({ input: { email, password: `botnet ${round} ${i}` }, context: network() }, { tx: db, now }),
          ),
        ),
      );
      expect(results).toContain("RATE_LIMITED");
      const accountLock = await db.rateLimit.findUniqueOrThrow({ where: { key: passwordKeys.account(email) } });
      expect(accountLock.lockedUntil?.getTime()).toBeGreaterThan(now.getTime());
      expect(accountLock.lockedUntil?.getTime()).toBeLessThanOrEqual(now.getTime() + 15 * 60_000);
      expect(
        await codeOf(passwordStep({ input: { email, password: PASSWORD }, context: network() }, { tx: db, now })),
      ).toBe("RATE_LIMITED");
      now = new Date((accountLock.lockedUntil as Date).getTime() + 1000);
    }
    const owner = network();
    expect(await codeOf(passwordStep({ input: { email, password: PASSWORD }, context: owner }, { tx: db, now }))).toBe(
      "ok",
    );
    expect(await db.signInChallenge.count({ where: { userId } })).toBe(challengesBefore + 2);
  });
});

describe("no account enumeration (issue 9 item 11)", () => {
  it("an unknown email and a known email with a wrong password get the same answers, also after the lock threshold", async () => {
    const { email } = await createOrgWithOwner();
    const unknown = uniqueEmail("nobody");
    const now = new Date();
    const net = network();
    const known: string[] = [];
    const missing: string[] = [];
    for (let i = 0; i < 13; i++) {
      known.push(
        await outcome(passwordStep({ input: { email, password: "wrong password!" }, context: net }, { tx: db, now })),
      );
      missing.push(
        await outcome(
          passwordStep({ input: { email: unknown, password: "wrong password!" }, context: net }, { tx: db, now }),
        ),
      );
    }
    expect(missing).toEqual(known);
    expect(known.slice(0, 9).every((o) => o.startsWith("INVALID_CREDENTIALS"))).toBe(true);
    expect(known.slice(9).every((o) => o.startsWith("RATE_LIMITED"))).toBe(true);
  });

  it("invitation acceptance for an existing account is throttled like sign-in (shared counters)", async () => {
    const existing = await createOrgWithOwner();
    const other = await createOrgWithOwner();
    await inviteMember({
      actor: other.actor,
      input: { email: existing.email, role: "MEMBER", type: "EMPLOYEE" },
      context: network(),
    });
    const token = await invitationTokenFor(existing.email); // the link is sealed in the queued mail (S41)
    const net = network();
    counts.argon2 = 0;
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        codeOf(acceptInvitation({ input: { token, password: `guess ${i}` }, context: net })),
      ),
    );
    expect(results.every((r) => r === "INVALID_CREDENTIALS" || r === "RATE_LIMITED")).toBe(true);
    expect(counts.argon2).toBeLessThanOrEqual(10 + SMALL);
    // The same network's sign-in is locked too, and the right password does not accept the invitation while locked.
    expect(await codeOf(passwordStep({ input: { email: existing.email, password: PASSWORD }, context: net }))).toBe(
      "RATE_LIMITED",
    );
    expect(await codeOf(acceptInvitation({ input: { token, password: PASSWORD }, context: net }))).toBe("RATE_LIMITED");
    expect(await db.invitation.count({ where: { email: existing.email, acceptedAt: { not: null } } })).toBe(0);
    expect(await codeOf(acceptInvitation({ input: { token, password: PASSWORD }, context: network() }))).toBe("ok");
  });
});

describe("two app processes on one PostgreSQL", () => {
  it("share the counters: bursts from both evaluate at most the limit, and the first process is refused after", async () => {
    const { email, userId } = await createOrgWithOwner();
    const net = network();
    const tsx = path.resolve("node_modules/.bin/tsx");
    const child = promisify(execFile)(tsx, ["test/lockout-attempts.ts", email, net.ip, "100"], {
      env: { ...process.env },
      cwd: path.resolve("."),
    });
    const here = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        codeOf(passwordStep({ input: { email, password: `here ${i}` }, context: net })),
      ),
    );
    const there = JSON.parse((await child).stdout.trim().split("\n").at(-1) ?? "[]") as string[];
    expect(there).toHaveLength(100);
    expect([...here, ...there].every((r) => r === "INVALID_CREDENTIALS" || r === "RATE_LIMITED")).toBe(true);
    expect(await db.auditEvent.count({ where: { targetId: userId, type: "signin.failed" } })).toBeLessThanOrEqual(
      10 + SMALL,
    );
    expect(await codeOf(passwordStep({ input: { email, password: PASSWORD }, context: net }))).toBe("RATE_LIMITED");
  });
});
