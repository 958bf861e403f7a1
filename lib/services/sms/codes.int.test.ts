import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { isDomainError } from "@/lib/errors";
import { bareUser, latestText, uniqueMobile } from "@/test/sms";
import { checkSmsCode, issueSmsCode, SMS_CODE_MAX_ATTEMPTS, settleSmsRefusalAudits } from "./codes";

// The SMS code service against the real database: caps (per number, account, IP, organization, per UTC day) counted
// under locks, countries, the sealed text, and single use.

const DAY = 86_400_000;
let orgId: string;
let day = Date.UTC(2031, 0, 1, 9); // each test moves to its own day so that ledgers never mix
const nextDay = () => {
  day += 7 * DAY;
  return day;
};
const ctx = (ip: string | null = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.7`) => ({
  ip,
  userAgent: "vitest",
});

async function issue(
  userId: string,
  phoneE164: string,
  at: number,
  opts: { ip?: string | null; org?: string[]; purpose?: "enrol" | "disable"; country?: string } = {},
) {
  return db.$transaction(
    (tx) =>
      issueSmsCode(
        tx,
        {
          userId,
          phoneE164,
          country: opts.country ?? "GB",
          purpose: opts.purpose ?? "enrol",
          organizationIds: opts.org ?? [orgId],
          context: ctx(opts.ip === undefined ? undefined : opts.ip),
        },
        new Date(at),
      ),
    { timeout: 30_000, maxWait: 30_000 },
  );
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; retryAt?: Date }> {
  try {
    await p;
  } catch (e) {
    if (isDomainError(e)) return { code: e.code, ...(e.retryAt ? { retryAt: e.retryAt } : {}) };
    throw e;
  }
  throw new Error("expected a refusal");
}

beforeAll(async () => {
  const org = await db.organization.create({
    data: {
      name: "SMS caps",
      slug: `sms-${randomUUID().slice(0, 8)}`,
      smsCountries: ["GB", "US"],
      smsDailyLimit: 1000,
    },
  });
  orgId = org.id;
});
afterAll(async () => {
  await settleSmsRefusalAudits();
  await db.$disconnect();
});

describe("issueSmsCode and checkSmsCode", () => {
  it("texts a code that rests sealed, hashed, and works once", async () => {
    const userId = await bareUser();
    const phone = uniqueMobile();
    const at = nextDay();
    const r = await issue(userId, phone, at);
    expect(r.resendAfter.getTime() - at).toBe(30_000);
    expect(r.expiresAt.getTime() - at).toBe(600_000);
    const text = await latestText(phone);
    const row = await db.outboxMessage.findUniqueOrThrow({ where: { id: text.id } });
    expect(row.kind).toBe("SMS");
    expect(JSON.stringify(row.payload)).not.toContain(text.code);
    const stored = await db.smsCode.findUniqueOrThrow({ where: { id: r.codeId } });
    expect(stored.codeHash).not.toContain(text.code);
    expect(stored.codeHash).toMatch(/^[0-9a-f]{64}$/);

    const ok = await db.$transaction((tx) =>
      checkSmsCode(tx, { userId, purpose: "enrol", code: text.code }, new Date(at + 1000)),
    );
    expect(ok.phoneE164).toBe(phone);
    const again = await refusal(
      db.$transaction((tx) => checkSmsCode(tx, { userId, purpose: "enrol", code: text.code }, new Date(at + 2000))),
    );
    expect(again.code).toBe("INVALID_CODE");
  });

  it("refuses a code of another purpose, an expired code, and stops after 5 tries even for the right code", async () => {
    const userId = await bareUser();
    const phone = uniqueMobile();
    const at = nextDay();
    await issue(userId, phone, at);
    const { code } = await latestText(phone);
    const check = (c: string, purpose: "enrol" | "disable", t: number) =>
      refusal(db.$transaction((tx) => checkSmsCode(tx, { userId, purpose, code: c }, new Date(t))));
    expect((await check(code, "disable", at + 1000)).code).toBe("INVALID_CODE");
    expect((await check(code, "enrol", at + 600_001)).code).toBe("INVALID_CODE");
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < SMS_CODE_MAX_ATTEMPTS; i++)
      expect((await check(wrong, "enrol", at + 1000)).code).toBe("INVALID_CODE");
    expect((await check(code, "enrol", at + 1000)).code).toBe("INVALID_CODE");
    // A failed check rolled back by the caller still counts (attempts are committed on their own).
    const row = await db.smsCode.findFirstOrThrow({ where: { userId }, orderBy: { createdAt: "desc" } });
    expect(row.attempts).toBe(SMS_CODE_MAX_ATTEMPTS);
  });

  it("refuses a second code within 30 s and says when", async () => {
    const userId = await bareUser();
    const phone = uniqueMobile();
    const at = nextDay();
    await issue(userId, phone, at);
    const r = await refusal(issue(userId, phone, at + 10_000));
    expect(r).toEqual({ code: "SMS_LIMITED", retryAt: new Date(at + 30_000) });
    await issue(userId, phone, at + 30_000);
  });

  it("refuses countries the organization has not allowed, and everything for an empty list; audits it", async () => {
    const userId = await bareUser();
    const at = nextDay();
    expect((await refusal(issue(userId, "+33612345678", at, { country: "FR" }))).code).toBe("SMS_COUNTRY_NOT_ALLOWED");
    const empty = await db.organization.create({ data: { name: "No SMS", slug: `nosms-${randomUUID().slice(0, 8)}` } });
    expect((await refusal(issue(userId, uniqueMobile(), at, { org: [empty.id] }))).code).toBe(
      "SMS_COUNTRY_NOT_ALLOWED",
    );
    // Accounts outside any organization: SMS_PERSONAL_COUNTRIES, unset here: none.
    expect((await refusal(issue(userId, uniqueMobile(), at, { org: [] }))).code).toBe("SMS_COUNTRY_NOT_ALLOWED");
    // In two organizations, both lists must allow the country.
    expect((await refusal(issue(userId, uniqueMobile(), at, { org: [orgId, empty.id] }))).code).toBe(
      "SMS_COUNTRY_NOT_ALLOWED",
    );
    await settleSmsRefusalAudits();
    const audits = await db.auditEvent.findMany({ where: { actorId: userId, type: "sms.send_refused" } });
    expect(audits.length).toBe(5); // 1 + 1 + 1 (no organization) + 2 (one per organization)
    expect(audits.every((a) => (a.metadata as { reason?: string }).reason === "country")).toBe(true);
    expect(await db.smsSend.count({ where: { userId } })).toBe(0);
    expect(await db.outboxMessage.count({ where: { kind: "SMS", to: "+33612345678" } })).toBe(0);
  });
});

describe("daily caps", () => {
  it("refuses the 11th text to one number (whoever asks) until 00:00 UTC", async () => {
    const phone = uniqueMobile();
    const at = nextDay();
    for (let i = 0; i < 10; i++) await issue(await bareUser(), phone, at + i * 1000);
    const userId = await bareUser();
    const r = await refusal(issue(userId, phone, at + 20_000));
    expect(r.code).toBe("SMS_LIMITED");
    const midnight = Date.UTC(new Date(at).getUTCFullYear(), new Date(at).getUTCMonth(), new Date(at).getUTCDate() + 1);
    expect(r.retryAt?.getTime()).toBe(midnight);
    await settleSmsRefusalAudits();
    const audit = await db.auditEvent.findFirstOrThrow({ where: { actorId: userId, type: "sms.send_refused" } });
    expect(audit.metadata).toMatchObject({ reason: "number", retryAt: new Date(midnight).toISOString() });
    await issue(userId, phone, midnight); // the next UTC day
  });

  it("refuses the 11th text to one account, whatever the number", async () => {
    const userId = await bareUser();
    const at = nextDay();
    for (let i = 0; i < 10; i++) await issue(userId, uniqueMobile(), at + i * 31_000);
    expect((await refusal(issue(userId, uniqueMobile(), at + 11 * 31_000))).code).toBe("SMS_LIMITED");
    await issue(userId, uniqueMobile(), at + DAY);
  });

  it("refuses the 21st text asked from one IP address", async () => {
    const at = nextDay();
    const ip = `192.0.2.${Math.floor(Math.random() * 250)}`;
    for (let i = 0; i < 20; i++) await issue(await bareUser(), uniqueMobile(), at + i, { ip });
    expect((await refusal(issue(await bareUser(), uniqueMobile(), at + 100, { ip }))).code).toBe("SMS_LIMITED");
    await issue(await bareUser(), uniqueMobile(), at + 100, { ip: "192.0.2.251" });
    await issue(await bareUser(), uniqueMobile(), at + DAY, { ip });
  });

  it("refuses past the organization's own daily limit", async () => {
    const org = await db.organization.create({
      data: { name: "Small", slug: `small-${randomUUID().slice(0, 8)}`, smsCountries: ["GB"], smsDailyLimit: 10 },
    });
    const at = nextDay();
    for (let i = 0; i < 10; i++) await issue(await bareUser(), uniqueMobile(), at + i, { org: [org.id] });
    const r = await refusal(issue(await bareUser(), uniqueMobile(), at + 100, { org: [org.id] }));
    expect(r.code).toBe("SMS_LIMITED");
    await issue(await bareUser(), uniqueMobile(), at + DAY, { org: [org.id] });
  });

  it("holds under 50 parallel requests: one number gets at most 10 texts", async () => {
    const phone = uniqueMobile();
    const at = nextDay();
    const users = await Promise.all(Array.from({ length: 50 }, () => bareUser()));
    const results = await Promise.allSettled(users.map((u, i) => issue(u, phone, at + i)));
    const sent = results.filter((r) => r.status === "fulfilled").length;
    const refused = results.filter((r) => r.status === "rejected" && isDomainError(r.reason, "SMS_LIMITED")).length;
    expect(sent).toBe(10);
    expect(refused).toBe(40);
    await settleSmsRefusalAudits();
    expect(await db.auditEvent.count({ where: { type: "sms.send_refused", actorId: { in: users } } })).toBe(40);
    expect(await db.smsSend.count({ where: { phoneE164: phone } })).toBe(10);
    expect(await db.outboxMessage.count({ where: { kind: "SMS", to: phone } })).toBe(10);
  });

  it("holds under 50 parallel requests for one account", async () => {
    const userId = await bareUser();
    const at = nextDay();
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        db.$transaction(
          (tx) =>
            issueSmsCode(
              tx,
              {
                userId,
                phoneE164: uniqueMobile(),
                country: "GB",
                purpose: i % 2 ? "enrol" : "disable",
                organizationIds: [orgId],
                context: ctx(),
              },
              new Date(at + i * 31_000),
            ),
          { timeout: 30_000, maxWait: 30_000 },
        ),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled").length).toBeLessThanOrEqual(10);
    expect(await db.smsSend.count({ where: { userId } })).toBeLessThanOrEqual(10);
  });
});
