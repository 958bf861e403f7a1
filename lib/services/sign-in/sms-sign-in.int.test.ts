import { beforeAll, describe, expect, it } from "vitest";
import { createOrgWithOwner, ctx, PASSWORD, withTwoFactor } from "@/test/factories";
import { latestText, uniqueMobile } from "@/test/sms";
import { db } from "../../db";
import { DomainError } from "../../errors";
import { peek } from "../rate-limit/limiter";
import { settleSmsRefusalAudits } from "../sms/codes";
import { secondFactorKey, secondFactorPolicy } from "../two-factor/lock-policy";
import { describeChallenge } from "./challenge";
import { completeSignIn } from "./complete-sign-in";
import { passwordStep } from "./password-step";
import { sendSignInSmsCode } from "./sms-sign-in";

// Sign in with a texted code (issue 12 item 4): a phone alone makes the second step required; the code is bound to
// this sign-in, checked by verifySecondFactor with the shared failure counter (S9, S36), works once, and 50 parallel
// submissions of it make exactly one session.

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof DomainError ? e.code : String(e)),
  );

async function personWithPhone(opts: { countries?: string[]; app?: boolean } = {}) {
  const created = await createOrgWithOwner();
  const owner = opts.app ? await withTwoFactor(created) : created;
  await db.organization.update({
    where: { id: owner.organizationId },
    data: { smsCountries: opts.countries ?? ["GB"] },
  });
  const phone = uniqueMobile();
  // The phone itself is seeded: adding one through Profile > Security is the enrolment flow's (and its tests').
  await db.phoneFactor.create({ data: { userId: owner.userId, phoneE164: phone, country: "GB" } });
  return { ...owner, phone };
}

async function start(email: string, ip = ctx.ip) {
  const context = { ...ctx, ip };
  return passwordStep({ input: { email, password: PASSWORD }, context }, { tx: db });
}

let person: Awaited<ReturnType<typeof personWithPhone>>;
beforeAll(async () => {
  person = await personWithPhone();
});

describe("sign in with SMS", () => {
  it("a phone alone requires the second step; the texted code signs in once, as password+sms", async () => {
    const p = await personWithPhone();
    const { challengeToken, requirement } = await start(p.email);
    expect(requirement).toBe("second-factor");
    const described = await describeChallenge({ input: { challengeToken } });
    expect(described?.methods).toMatchObject({ totp: false, sms: { lastFour: p.phone.slice(-4), sentAt: null } });

    const sent = await sendSignInSmsCode({ input: { challengeToken }, context: ctx });
    expect(sent.lastFour).toBe(p.phone.slice(-4));
    const { code, body } = await latestText(p.phone);
    expect(body).toContain("sign-in code");
    expect((await describeChallenge({ input: { challengeToken } }))?.methods?.sms?.resendAfter).toEqual(
      sent.resendAfter,
    );

    const done = await completeSignIn({
      input: { challengeToken, secondFactor: { method: "sms", code } },
      context: ctx,
    });
    expect(done.authMethod).toBe("password+sms");
    const session = await db.session.findUniqueOrThrow({ where: { id: done.sessionId } });
    expect(session.secondFactorAt).not.toBeNull();
    expect((await db.phoneFactor.findUniqueOrThrow({ where: { userId: p.userId } })).lastUsedAt).not.toBeNull();

    // Replay: the spent code on a new sign-in is refused (it belonged to the first one) and no text was sent for it.
    const again = await start(p.email);
    expect(
      await codeOf(
        completeSignIn({
          input: { challengeToken: again.challengeToken, secondFactor: { method: "sms", code } },
          context: ctx,
        }),
      ),
    ).toBe("INVALID_CODE");
    expect(await db.session.count({ where: { userId: p.userId } })).toBe(1);
  });

  it("a person with an app and a phone may use either", async () => {
    const p = await personWithPhone({ app: true });
    const { challengeToken } = await start(p.email);
    const described = await describeChallenge({ input: { challengeToken } });
    expect(described?.methods).toMatchObject({ totp: true, recovery: true, sms: { lastFour: p.phone.slice(-4) } });
    await sendSignInSmsCode({ input: { challengeToken }, context: ctx });
    const { code } = await latestText(p.phone);
    const done = await completeSignIn({
      input: { challengeToken, secondFactor: { method: "sms", code } },
      context: ctx,
    });
    expect(done.authMethod).toBe("password+sms");
  });

  it("50 parallel submissions of one texted code make exactly one session, and count no failure", async () => {
    const p = await personWithPhone();
    const { challengeToken } = await start(p.email);
    await sendSignInSmsCode({ input: { challengeToken }, context: ctx });
    const { code } = await latestText(p.phone);
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        codeOf(completeSignIn({ input: { challengeToken, secondFactor: { method: "sms", code } }, context: ctx })),
      ),
    );
    expect(results.filter((r) => r === "ok")).toHaveLength(1);
    expect(await db.session.count({ where: { userId: p.userId } })).toBe(1);
    const state = await peek(db, secondFactorKey(p.userId), secondFactorPolicy);
    expect(state.failures).toBe(0);
    expect(state.lockedUntil).toBeNull();
  });

  it("wrong codes count on the shared counter; after 5 the code is spent and even the right one fails", async () => {
    const p = await personWithPhone();
    const { challengeToken } = await start(p.email);
    await sendSignInSmsCode({ input: { challengeToken }, context: ctx });
    const { code } = await latestText(p.phone);
    const wrong = code === "123456" ? "654321" : "123456";
    for (let i = 0; i < 5; i++)
      expect(
        await codeOf(
          completeSignIn({ input: { challengeToken, secondFactor: { method: "sms", code: wrong } }, context: ctx }),
        ),
      ).toBe("INVALID_CODE");
    expect((await peek(db, secondFactorKey(p.userId), secondFactorPolicy)).failures).toBe(5);
    expect(
      await codeOf(completeSignIn({ input: { challengeToken, secondFactor: { method: "sms", code } }, context: ctx })),
    ).toBe("INVALID_CODE");
    expect(await db.auditEvent.count({ where: { actorId: p.userId, type: "2fa.failed" } })).toBe(6);
  });

  it("200 parallel wrong guesses check at most the code's 5 tries and lock nothing open", async () => {
    const p = await personWithPhone();
    const { challengeToken } = await start(p.email);
    await sendSignInSmsCode({ input: { challengeToken }, context: ctx });
    const { code } = await latestText(p.phone);
    const guesses = Array.from({ length: 200 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, "0"));
    await Promise.all(
      guesses.map((g) =>
        codeOf(completeSignIn({ input: { challengeToken, secondFactor: { method: "sms", code: g } }, context: ctx })),
      ),
    );
    const row = await db.smsCode.findFirstOrThrow({ where: { userId: p.userId, purpose: "sign-in" } });
    expect(row.attempts).toBeLessThanOrEqual(5);
    expect(row.consumedAt).toBeNull();
    expect(
      await codeOf(completeSignIn({ input: { challengeToken, secondFactor: { method: "sms", code } }, context: ctx })),
    ).not.toBe("ok");
    expect(await db.session.count({ where: { userId: p.userId } })).toBe(0);
  });

  it("sending is capped: a second text within 30 s is refused with when to retry", async () => {
    const { challengeToken } = await start(person.email, "203.0.113.40");
    await sendSignInSmsCode({ input: { challengeToken }, context: { ...ctx, ip: "203.0.113.40" } });
    const refused = await sendSignInSmsCode({ input: { challengeToken }, context: ctx }).catch((e) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused.code).toBe("SMS_LIMITED");
    expect(refused.retryAt).toBeInstanceOf(Date);
    expect(refused.message).toMatch(/You can ask for another code after/);
  });

  it("no text to a country the organization has not allowed, and none without a phone", async () => {
    const p = await personWithPhone({ countries: [] });
    const { challengeToken } = await start(p.email);
    expect(await codeOf(sendSignInSmsCode({ input: { challengeToken }, context: ctx }))).toBe(
      "SMS_COUNTRY_NOT_ALLOWED",
    );
    await settleSmsRefusalAudits();
    expect(await db.auditEvent.count({ where: { actorId: p.userId, type: "sms.send_refused" } })).toBe(1);
    const app = await createOrgWithOwner();
    await withTwoFactor(app);
    const other = await start(app.email);
    expect(await codeOf(sendSignInSmsCode({ input: { challengeToken: other.challengeToken }, context: ctx }))).toBe(
      "SMS_NOT_ENABLED",
    );
  });
});
