// Lockouts a person understands (issue 10 item 5, and the lockout mail of item 8) against a real PostgreSQL: "N
// attempts left" from the limiter's real state, the verify page's view of a lock before any submit, unlock times in
// the person's zone, and exactly one lock mail per lock even under 200 parallel wrong codes from two app processes.
import { execFile } from "node:child_process";
import { randomInt } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { createOrgWithOwner, PASSWORD, uniqueEmail, withTwoFactor } from "@/test/factories";
import { totpAt } from "../../crypto/totp";
import { db } from "../../db";
import { DomainError } from "../../errors";
import { secondFactorKey } from "../two-factor/lock-policy";
import { describeChallenge } from "./challenge";
import { completeSignIn } from "./complete-sign-in";
import { passwordStep } from "./password-step";

const network = (timeZone?: string) => ({
  ip: `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`,
  userAgent:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
  ...(timeZone ? { timeZone } : {}),
});

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => ({ code: "ok", message: "", field: "" }),
    (e) => {
      if (!(e instanceof DomainError)) throw e;
      return { code: e.code as string, message: e.message, field: e.fields?.code ?? e.fields?.password ?? "" };
    },
  );

async function signedUpWithTwoFactor() {
  const owner = await createOrgWithOwner();
  return withTwoFactor(owner);
}

async function challengeFor(email: string, net = network()) {
  return (await passwordStep({ input: { email, password: PASSWORD }, context: net })).challengeToken;
}

const wrongCodeFor = (secret: string) => totpAt(secret, { time: Date.now() + 3600_000 }); // real, for another hour

describe("N attempts left (from the third failure on), from the limiter's state", () => {
  it("second step: silent for two failures, then 7 … 1 left, then locked; the verify page reads the same state", async () => {
    const u = await signedUpWithTwoFactor();
    const net = network("America/New_York");
    const challengeToken = await challengeFor(u.email, net);
    const wrong = wrongCodeFor(u.secret);
    const seen: string[] = [];
    const pageSays: (number | null)[] = [];
    for (let i = 1; i <= 10; i++) {
      const r = await refusal(
        completeSignIn({ input: { challengeToken, secondFactor: { method: "totp", code: wrong } }, context: net }),
      );
      seen.push(r.code === "INVALID_CODE" ? r.field : `${r.code}: ${r.message}`);
      const page = await describeChallenge({ input: { challengeToken } });
      pageSays.push(page?.secondFactor?.attemptsLeft ?? null);
    }
    expect(seen[0]).not.toMatch(/attempts? left/);
    expect(seen[1]).not.toMatch(/attempts? left/);
    for (let i = 3; i <= 9; i++) {
      const left = 10 - i;
      expect(seen[i - 1]).toContain(
        `${left} attempt${left === 1 ? "" : "s"} left before two-factor sign-in is locked.`,
      );
    }
    expect(seen[9]).toMatch(/^SECOND_FACTOR_LOCKED: .*Try again after (\d+ \w+ \d{4}, )?\d\d:\d\d GMT-[45]/);
    expect(pageSays).toEqual([null, null, 7, 6, 5, 4, 3, 2, 1, null]);

    // Signing in again during the lock: the page knows at once, before any submit (S10: no reset either).
    const again = await challengeFor(u.email, net);
    const page = await describeChallenge({ input: { challengeToken: again } });
    const row = await db.rateLimit.findUniqueOrThrow({ where: { key: secondFactorKey(u.userId) } });
    expect(page?.secondFactor?.lockedUntil?.toISOString()).toBe(row.lockedUntil?.toISOString());
    expect(page?.secondFactor?.attemptsLeft).toBeNull();

    // After the lock ends, the count shows again at once (failures since the last success stay known: S9).
    const after = new Date((row.lockedUntil as Date).getTime() + 1000);
    const later = await describeChallenge({ input: { challengeToken: again } }, { now: new Date(Date.now()) });
    expect(later?.secondFactor?.lockedUntil).not.toBeNull();
    const expired = await passwordStep({ input: { email: u.email, password: PASSWORD }, context: net }, { now: after });
    const afterLock = await describeChallenge({ input: { challengeToken: expired.challengeToken } }, { now: after });
    expect(afterLock?.secondFactor).toEqual({ lockedUntil: null, attemptsLeft: 10 });

    // A success forgets it all.
    const ok = await completeSignIn(
      {
        input: {
          challengeToken: expired.challengeToken,
          secondFactor: { method: "totp", code: totpAt(u.secret, { time: after.getTime() }) },
        },
        context: net,
      },
      { now: after },
    );
    expect(ok.sessionId).toBeTruthy();
    const fresh = await passwordStep({ input: { email: u.email, password: PASSWORD }, context: net }, { now: after });
    expect(
      (await describeChallenge({ input: { challengeToken: fresh.challengeToken } }, { now: after }))?.secondFactor,
    ).toEqual({
      lockedUntil: null,
      attemptsLeft: null,
    });
  });

  it("password step: from the third wrong password on one network, the same figure for a real and an unknown email", async () => {
    const { email } = await createOrgWithOwner();
    const unknown = uniqueEmail("nobody");
    const net = network("Europe/Paris");
    const known: string[] = [];
    const missing: string[] = [];
    for (let i = 0; i < 10; i++) {
      known.push(
        (await refusal(passwordStep({ input: { email, password: "wrong password!" }, context: net }))).message,
      );
      missing.push(
        (await refusal(passwordStep({ input: { email: unknown, password: "wrong password!" }, context: net }))).message,
      );
    }
    expect(missing).toEqual(known);
    expect(known[1]).toBe("That email and password do not match an account.");
    expect(known[2]).toBe("That email and password do not match an account. 7 attempts left before sign-in is paused.");
    expect(known[8]).toContain("1 attempt left before sign-in is paused.");
    expect(known[9]).toMatch(/^Too many attempts.*Try again after (\d+ \w+ \d{4}, )?\d\d:\d\d CET/);
  });
});

describe("the lock mail (issue 10 item 8): exactly one per lock, in the lock's transaction", () => {
  it("200 parallel wrong codes from two app processes → one lock, one mail; the next lock → one more", async () => {
    const u = await signedUpWithTwoFactor();
    const net = network();
    const challengeToken = await challengeFor(u.email, net);
    const wrong = wrongCodeFor(u.secret);
    const tsx = path.resolve("node_modules/.bin/tsx");
    const burst = async () => {
      const child = promisify(execFile)(
        tsx,
        ["test/lockout-attempts.ts", "code", challengeToken, net.ip, "100", wrong],
        {
          env: { ...process.env },
          cwd: path.resolve("."),
        },
      );
      const here = await Promise.all(
        Array.from({ length: 100 }, () =>
          refusal(
            completeSignIn({ input: { challengeToken, secondFactor: { method: "totp", code: wrong } }, context: net }),
          ).then((r) => r.code),
        ),
      );
      const there = JSON.parse((await child).stdout.trim().split("\n").at(-1) ?? "[]") as string[];
      expect(there).toHaveLength(100);
      expect([...here, ...there].every((c) => c === "INVALID_CODE" || c === "SECOND_FACTOR_LOCKED")).toBe(true);
    };

    await burst();
    const mails = () => db.outboxMessage.findMany({ where: { to: u.email, template: "account-locked" } });
    const locks = () => db.auditEvent.count({ where: { targetId: u.userId, type: "2fa.locked" } });
    const first = await mails();
    expect(first).toHaveLength(1);
    expect(await locks()).toBe(1);
    const row = await db.rateLimit.findUniqueOrThrow({ where: { key: secondFactorKey(u.userId) } });
    const payload = first[0]?.payload as Record<string, unknown>;
    // When it unlocks, when and from where it happened, so the person can tell whether it was them.
    expect(payload).toMatchObject({
      factor: "second-factor",
      until: row.lockedUntil?.toISOString(),
      name: "Owner Person",
    });
    expect(payload.at).toEqual(expect.any(String));
    expect(["second process", net.userAgent]).toContain(payload.userAgent);
    expect(payload.ip).toBe(net.ip);

    // Still locked: more wrong codes neither lock again nor mail again.
    await burst();
    expect(await mails()).toHaveLength(1);

    // The lock ends; the next ten failures lock again (longer): one more mail, one more lock audit.
    await db.rateLimit.update({
      where: { key: secondFactorKey(u.userId) },
      data: { lockedUntil: new Date(Date.now() - 1000) },
    });
    await burst();
    expect(await mails()).toHaveLength(2);
    expect(await locks()).toBe(2);
  });
});
