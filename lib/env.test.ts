import { describe, expect, it } from "vitest";
import { parseEnv, startPlan } from "./env";

describe("configuration (lib/env.ts)", () => {
  it("applies defaults and derives the mail transport", () => {
    const env = parseEnv({ NODE_ENV: "development" });
    expect(env.SESSION_MAX_AGE_HOURS).toBe(12);
    expect(env.mailTransport).toBe("local");
    expect(env.devMailbox).toBe(true);
    expect(parseEnv({ RESEND_API_KEY: "re_123" }).mailTransport).toBe("resend");
  });

  it("names the variable when a value is malformed", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL: must be a postgresql:\/\/ URL/);
    expect(() => parseEnv({ NEXTAUTH_SECRET: "short" })).toThrow(/NEXTAUTH_SECRET: must be at least 32 characters/);
    expect(() => parseEnv({ TRUSTED_PROXIES: "10.0.0.0/8, not-an-ip" })).toThrow(/TRUSTED_PROXIES/);
    expect(() => parseEnv({ SESSION_MAX_AGE_HOURS: "0" })).toThrow(/SESSION_MAX_AGE_HOURS/);
    expect(() => parseEnv({ OUTBOX_WORKER: "sometimes" })).toThrow(/OUTBOX_WORKER/);
  });

  it("requires the session secret and the 2FA encryption keys in production", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/NEXTAUTH_SECRET: is required in production/);
    expect(() => parseEnv({ NODE_ENV: "production", NEXTAUTH_SECRET: "x".repeat(32) })).toThrow(
      /TWOFACTOR_ENCRYPTION_KEYS: is required in production/,
    );
    const key = Buffer.alloc(32, 7).toString("base64");
    const prod = parseEnv({
      NODE_ENV: "production",
      NEXTAUTH_SECRET: "x".repeat(32),
      NEXTAUTH_URL: "https://twofold.example.com",
      TWOFACTOR_ENCRYPTION_KEYS: `1:${key}`,
      TWOFACTOR_KEY_VERSION: "1",
      MAIL_FROM: "Twofold <security@example.com>",
      MAIL_TRANSPORT: "local",
      SMS_TRANSPORT: "local",
    });
    expect(prod.devMailbox).toBe(false);
    expect(prod.TWOFACTOR_ENCRYPTION_KEYS?.get(1)?.length).toBe(32);
  });

  it("rejects malformed or inconsistent encryption keys, naming the variable", () => {
    const key = Buffer.alloc(32, 7).toString("base64");
    expect(() => parseEnv({ TWOFACTOR_ENCRYPTION_KEYS: "1:c2hvcnQ=", TWOFACTOR_KEY_VERSION: "1" })).toThrow(
      /TWOFACTOR_ENCRYPTION_KEYS: key version 1 must be exactly 32 bytes/,
    );
    expect(() => parseEnv({ TWOFACTOR_ENCRYPTION_KEYS: `1:${key}` })).toThrow(/TWOFACTOR_KEY_VERSION: is required/);
    expect(() => parseEnv({ TWOFACTOR_ENCRYPTION_KEYS: `1:${key}`, TWOFACTOR_KEY_VERSION: "2" })).toThrow(
      /TWOFACTOR_KEY_VERSION: must be one of the versions/,
    );
  });
});

const KEY = Buffer.alloc(32, 7).toString("base64");
/** A complete production configuration (NODE_ENV=production on a real PostgreSQL, not the demo). */
const PRODUCTION = {
  NODE_ENV: "production",
  DATABASE_URL: "postgresql://app@db.internal:5432/twofold",
  NEXTAUTH_SECRET: "s".repeat(43),
  NEXTAUTH_URL: "https://twofold.example.com",
  TWOFACTOR_ENCRYPTION_KEYS: `1:${KEY}`,
  TWOFACTOR_KEY_VERSION: "1",
  MAIL_FROM: "Twofold <security@example.com>",
  RESEND_API_KEY: "re_live_123",
  TWILIO_ACCOUNT_SID: `AC${"0a".repeat(16)}`,
  TWILIO_AUTH_TOKEN: "twilio-auth-token",
  TWILIO_FROM: "+15017122661",
};
const REQUIRED = [
  "NEXTAUTH_SECRET",
  "NEXTAUTH_URL",
  "TWOFACTOR_ENCRYPTION_KEYS",
  "TWOFACTOR_KEY_VERSION",
  "MAIL_FROM",
  "RESEND_API_KEY",
  "TWILIO_ACCOUNT_SID",
  "TWILIO_AUTH_TOKEN",
  "TWILIO_FROM",
] as const;

function errorOf(source: Record<string, string | undefined>): string {
  try {
    parseEnv(source);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected the configuration to be refused");
}

describe("production start (S44)", () => {
  it("accepts a complete production configuration: no demo, no development mailbox, Resend", () => {
    const env = parseEnv(PRODUCTION);
    expect(env.demo).toBe(false);
    expect(env.devMailbox).toBe(false);
    expect(env.mailTransport).toBe("resend");
    expect(env.appOrigin).toBe("https://twofold.example.com");
    expect(env.MAIL_FROM).toBe("Twofold <security@example.com>");
  });

  it("names every missing variable in one message", () => {
    const message = errorOf({ NODE_ENV: "production", DATABASE_URL: PRODUCTION.DATABASE_URL });
    for (const name of REQUIRED) expect(message).toMatch(new RegExp(`^  ${name}: is required in production`, "m"));
    expect(message).toContain("TWOFOLD_DEMO=1");
  });

  it.each(REQUIRED)("refuses to start without %s alone, naming it and nothing else", (name) => {
    const message = errorOf({ ...PRODUCTION, [name]: undefined });
    expect(message).toMatch(new RegExp(`^  ${name}: is required`, "m"));
    const named = message.split("\n").filter((line) => /^ {2}[A-Z_]+:/.test(line));
    expect(named).toHaveLength(1);
  });

  it("takes an empty value as missing", () => {
    expect(errorOf({ ...PRODUCTION, MAIL_FROM: "" })).toMatch(/MAIL_FROM: is required in production/);
  });

  it("needs no Resend key when mail is explicitly kept in the local mailbox", () => {
    const env = parseEnv({ ...PRODUCTION, RESEND_API_KEY: undefined, MAIL_TRANSPORT: "local" });
    expect(env.mailTransport).toBe("local");
    expect(env.devMailbox).toBe(false); // kept in the database, never served at /dev/mail
    expect(parseEnv({ ...PRODUCTION, MAIL_TRANSPORT: "local" }).mailTransport).toBe("local");
    expect(() => parseEnv({ MAIL_TRANSPORT: "resend" })).toThrow(
      /RESEND_API_KEY: is required when MAIL_TRANSPORT=resend/,
    );
    expect(() => parseEnv({ MAIL_TRANSPORT: "smtp" })).toThrow(/MAIL_TRANSPORT/);
  });

  it("texts go through Twilio in production, or stay in the database when SMS_TRANSPORT=local", () => {
    expect(parseEnv(PRODUCTION).smsTransport).toBe("twilio");
    const local = parseEnv({
      ...PRODUCTION,
      TWILIO_ACCOUNT_SID: undefined,
      TWILIO_AUTH_TOKEN: undefined,
      TWILIO_FROM: undefined,
      SMS_TRANSPORT: "local",
    });
    expect(local.smsTransport).toBe("local");
    // A Messaging Service instead of a number is enough.
    const service = parseEnv({
      ...PRODUCTION,
      TWILIO_FROM: undefined,
      TWILIO_MESSAGING_SERVICE_SID: `MG${"1b".repeat(16)}`,
    });
    expect(service.smsTransport).toBe("twilio");
    expect(errorOf({ ...PRODUCTION, TWILIO_ACCOUNT_SID: "nope" })).toMatch(
      /TWILIO_ACCOUNT_SID: must be a Twilio Account SID/,
    );
    expect(errorOf({ ...PRODUCTION, TWILIO_FROM: "5017122661" })).toMatch(
      /TWILIO_FROM: must be a Twilio phone number in E.164/,
    );
    // Outside production: the local mailbox unless Twilio is configured; a partial configuration is named.
    expect(parseEnv({}).smsTransport).toBe("local");
    expect(errorOf({ TWILIO_ACCOUNT_SID: PRODUCTION.TWILIO_ACCOUNT_SID })).toMatch(
      /TWILIO_AUTH_TOKEN: is required when TWILIO_ACCOUNT_SID is set/,
    );
    expect(errorOf({ SMS_TRANSPORT: "twilio" })).toMatch(/TWILIO_ACCOUNT_SID: is required when SMS_TRANSPORT=twilio/);
  });

  it("reads the SMS caps and the countries for accounts outside organizations", () => {
    const e = parseEnv({ SMS_LIMIT_PER_NUMBER: "5", SMS_PERSONAL_COUNTRIES: "us, gb" });
    expect(e.SMS_LIMIT_PER_NUMBER).toBe(5);
    expect(e.SMS_LIMIT_PER_ACCOUNT).toBe(10);
    expect(e.SMS_LIMIT_PER_IP).toBe(20);
    expect(e.SMS_PERSONAL_COUNTRIES).toEqual(["US", "GB"]);
    expect(parseEnv({}).SMS_PERSONAL_COUNTRIES).toEqual([]);
    expect(errorOf({ SMS_PERSONAL_COUNTRIES: "USA" })).toMatch(/SMS_PERSONAL_COUNTRIES/);
    expect(errorOf({ SMS_LIMIT_PER_IP: "0" })).toMatch(/SMS_LIMIT_PER_IP/);
  });

  it("never serves the development mailbox in production outside the demo", () => {
    expect(errorOf({ ...PRODUCTION, DEV_MAILBOX: "1" })).toMatch(
      /DEV_MAILBOX: the development mailbox is never served/,
    );
    expect(parseEnv({ ...PRODUCTION, DEV_MAILBOX: "0" }).devMailbox).toBe(false);
    expect(parseEnv({ NODE_ENV: "development" }).devMailbox).toBe(true);
    expect(parseEnv({ NODE_ENV: "development", DEV_MAILBOX: "0" }).devMailbox).toBe(false);
  });

  it("refuses the test mailbox token in production unless the deployment says it is a test one", () => {
    const token = "t".repeat(32);
    expect(errorOf({ ...PRODUCTION, TEST_MAILBOX_TOKEN: token })).toMatch(
      /TEST_MAILBOX_TOKEN: the test mailbox API .* refused in production unless TEST_MAILBOX_ALLOW_PRODUCTION=1/,
    );
    expect(
      parseEnv({ ...PRODUCTION, TEST_MAILBOX_TOKEN: token, TEST_MAILBOX_ALLOW_PRODUCTION: "1" }).TEST_MAILBOX_TOKEN,
    ).toBe(token);
    expect(() => parseEnv({ TEST_MAILBOX_TOKEN: "short" })).toThrow(
      /TEST_MAILBOX_TOKEN: must be at least 32 characters/,
    );
    expect(parseEnv({ NODE_ENV: "development" }).TEST_MAILBOX_TOKEN).toBeUndefined();
  });

  it("allows the demo with the flag: no secrets needed, development mailbox on", () => {
    const demo = parseEnv({ NODE_ENV: "production", DATABASE_URL: PRODUCTION.DATABASE_URL, TWOFOLD_DEMO: "1" });
    expect(demo.demo).toBe(true);
    expect(demo.devMailbox).toBe(true);
    expect(demo.mailTransport).toBe("local");
    expect(parseEnv({ NODE_ENV: "production", TWOFOLD_DEMO: "1", DEV_MAILBOX: "0" }).devMailbox).toBe(false);
    // "0"/"false" is not the demo.
    expect(errorOf({ NODE_ENV: "production", DATABASE_URL: PRODUCTION.DATABASE_URL, TWOFOLD_DEMO: "0" })).toMatch(
      /NEXTAUTH_SECRET: is required in production/,
    );
    expect(() => parseEnv({ TWOFOLD_DEMO: "yes" })).toThrow(/TWOFOLD_DEMO/);
  });

  it("plans the demo only on the embedded database or with the flag", () => {
    expect(startPlan({})).toEqual({ embedded: true, demo: true });
    expect(startPlan({ NODE_ENV: "production" })).toEqual({ embedded: true, demo: true });
    expect(startPlan({ DATABASE_URL: PRODUCTION.DATABASE_URL })).toEqual({ embedded: false, demo: false });
    expect(startPlan({ DATABASE_URL: PRODUCTION.DATABASE_URL, TWOFOLD_DEMO: "1" })).toEqual({
      embedded: false,
      demo: true,
    });
    expect(startPlan({ DATABASE_URL: PRODUCTION.DATABASE_URL, TWOFOLD_DEMO: "true" }).demo).toBe(true);
    expect(startPlan({ DATABASE_URL: PRODUCTION.DATABASE_URL, TWOFOLD_DEMO: "0" }).demo).toBe(false);
    expect(startPlan({ DATABASE_URL: PRODUCTION.DATABASE_URL, TWOFOLD_DEMO: "" }).demo).toBe(false);
  });

  it("builds without the runtime secrets (next build)", () => {
    expect(parseEnv({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build" }).NODE_ENV).toBe("production");
  });

  it("uses NEXTAUTH_URL's origin as the app origin", () => {
    expect(parseEnv({ NEXTAUTH_URL: "https://app.example.com/" }).NEXTAUTH_URL).toBe("https://app.example.com");
    expect(parseEnv({ NEXTAUTH_URL: "https://app.example.com:8443/x" }).appOrigin).toBe("https://app.example.com:8443");
    expect(parseEnv({}).appOrigin).toBe("http://localhost:3000");
    expect(() => parseEnv({ NEXTAUTH_URL: "ftp://app.example.com" })).toThrow(/NEXTAUTH_URL/);
  });
});

describe("TRUSTED_PROXIES (item 16)", () => {
  const good: [string, string[]][] = [
    ["10.0.0.1", ["10.0.0.1"]],
    ["10.0.0.0/8", ["10.0.0.0/8"]],
    ["192.168.1.0/24, 172.16.0.0/12", ["192.168.1.0/24", "172.16.0.0/12"]],
    ["203.0.113.7/32", ["203.0.113.7/32"]],
    ["::1", ["::1"]],
    ["2001:db8::/32", ["2001:db8::/32"]],
    ["fd12:3456::/32, 10.1.2.3", ["fd12:3456::/32", "10.1.2.3"]],
    ["::ffff:10.0.0.1", ["::ffff:10.0.0.1"]],
    [" 10.0.0.1 ,, ", ["10.0.0.1"]],
  ];
  it.each(good)("accepts %j", (value, expected) => {
    expect(parseEnv({ TRUSTED_PROXIES: value }).TRUSTED_PROXIES).toEqual(expected);
  });

  const bad: [string, RegExp][] = [
    ["10.0.0.0/33", /"10\.0\.0\.0\/33": the prefix length must be a number from 8 to 32/],
    ["999.1.1.1", /"999\.1\.1\.1" is not an IP address/],
    ["10.0.0.256", /not an IP address/],
    ["10.1", /not an IP address/], // ipaddr.js alone would read this as 10.0.0.1
    ["0x0a.0.0.1", /not an IP address/],
    ["010.0.0.1/8", /not an IP address/],
    ["10.0.0.0/", /prefix length/],
    ["10.0.0.0/-1", /prefix length/],
    ["10.0.0.0/8/8", /not an IP address or CIDR range/],
    ["2001:db8::/129", /prefix length must be a number from 16 to 128/],
    ["2001:db8:::1", /not an IP address/],
    ["fe80::1%eth0", /not an IP address/],
    ["0.0.0.0/0", /too broad/],
    ["10.0.0.0/7", /too broad/],
    ["::/0", /too broad/],
    ["10.0.0.1/8", /host bits set: did you mean 10\.0\.0\.0\/8\?/],
    ["localhost", /not an IP address/],
    ["10.0.0.0/8, not-an-ip", /"not-an-ip" is not an IP address/],
  ];
  it.each(bad)("refuses %j at start, naming the variable and the entry", (value, message) => {
    const error = errorOf({ TRUSTED_PROXIES: value });
    expect(error).toMatch(/TRUSTED_PROXIES: /);
    expect(error).toMatch(message);
  });
});
