import { describe, expect, it } from "vitest";
import { REDACTED, redact } from "./redact";

describe("redact (lib/crypto/redact.ts, S8)", () => {
  it("redacts sensitive keys in nested objects and arrays, keeping the rest", () => {
    const input = {
      userId: "u1",
      action: "two_factor.enabled",
      password: "hunter2",
      totpSecret: "JBSWY3DPEHPK3PXP",
      meta: {
        code: "123456",
        ip: "203.0.113.7",
        devices: [{ name: "laptop", rememberToken: "tok_abc" }, { name: "phone" }],
        OTP: "654321",
        recoveryCodes: ["abcde-fghjk-mnpqr-stvwx"],
        nested: [[{ newPassword: "pw", count: 3 }]],
      },
      createdAt: new Date("2026-01-01T00:00:00Z"),
      enabled: true,
      attempts: 2,
      note: null,
    };
    expect(redact(input)).toEqual({
      userId: "u1",
      action: "two_factor.enabled",
      password: REDACTED,
      totpSecret: REDACTED,
      meta: {
        code: REDACTED,
        ip: "203.0.113.7",
        devices: [{ name: "laptop", rememberToken: REDACTED }, { name: "phone" }],
        OTP: REDACTED,
        recoveryCodes: REDACTED,
        nested: [[{ newPassword: REDACTED, count: 3 }]],
      },
      createdAt: new Date("2026-01-01T00:00:00Z"),
      enabled: true,
      attempts: 2,
      note: null,
    });
    expect(JSON.stringify(redact(input))).not.toMatch(/hunter2|JBSWY3DP|123456|tok_abc|654321|abcde|"pw"/);
  });

  it("deep-copies: the input is unchanged and shares no objects with the result", () => {
    const input = { a: { secret: "s", b: [1, { c: 2 }] } };
    const out = redact(input);
    expect(input.a.secret).toBe("s");
    expect(out.a).not.toBe(input.a);
    expect(out.a.b).not.toBe(input.a.b);
    expect(out.a.b[1]).not.toBe(input.a.b[1]);
  });

  it("redacts otpauth URIs and binary anywhere, and survives cycles", () => {
    const cyclic: Record<string, unknown> = { name: "x" };
    cyclic.self = cyclic;
    expect(redact(cyclic)).toEqual({ name: "x", self: "[circular]" });
    const shared = { k: 1 };
    expect(redact({ a: shared, b: shared })).toEqual({ a: { k: 1 }, b: { k: 1 } });
    expect(redact({ qr: "otpauth://totp/Twofold:a?secret=ABC" })).toEqual({ qr: REDACTED });
    expect(redact({ key: Buffer.from("secret key bytes") })).toEqual({ key: "[binary 16 bytes]" });
    expect(redact(["plain", 1, null])).toEqual(["plain", 1, null]);
    expect(redact("plain")).toBe("plain");
  });

  it("turns Maps and Errors into plain, redacted objects", () => {
    expect(
      redact({
        m: new Map([
          ["token", "t"],
          ["ok", "v"],
        ]),
      }),
    ).toEqual({ m: { token: REDACTED, ok: "v" } });
    expect(redact({ err: new Error("boom") })).toEqual({ err: { name: "Error", message: "boom" } });
  });
});
