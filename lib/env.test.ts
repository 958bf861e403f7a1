import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";

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
      TWOFACTOR_ENCRYPTION_KEYS: `1:${key}`,
      TWOFACTOR_KEY_VERSION: "1",
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
