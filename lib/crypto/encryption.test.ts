import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { createSecretBox, decryptSecret, encryptSecret, parseKeys, SecretDecryptionError } from "./encryption";

const key = () => randomBytes(32).toString("base64");
const K1 = key();
const K2 = key();
const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const alice = { userId: "user_alice" };
const bob = { userId: "user_bob" };

/** The error thrown by `fn` (fails the test if it does not throw). */
function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error("threw a non-Error");
  }
  throw new Error("expected an error");
}

/** Replaces part `index` (0 = version … 3 = ciphertext) with `change(part)`. */
function alter(payload: string, index: number, change: (part: string) => string): string {
  const parts = payload.split(":");
  parts[index] = change(parts[index] ?? "");
  return parts.join(":");
}
const flipFirstChar = (s: string) => (s[0] === "A" ? "B" : "A") + s.slice(1);

describe("secret encryption (lib/crypto/encryption.ts)", () => {
  const box = createSecretBox(parseKeys(`1:${K1}`), 1);

  it("round-trips with a v<version>:<iv>:<tag>:<ciphertext> payload", () => {
    const payload = box.encrypt(SECRET, alice);
    expect(payload).toMatch(/^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    expect(payload).not.toContain(SECRET);
    expect(box.decrypt(payload, alice)).toBe(SECRET);
  });

  it("uses a fresh IV: two encryptions of the same secret differ", () => {
    const a = box.encrypt(SECRET, alice);
    const b = box.encrypt(SECRET, alice);
    expect(a).not.toBe(b);
    expect(a.split(":")[1]).not.toBe(b.split(":")[1]);
    expect(box.decrypt(a, alice)).toBe(box.decrypt(b, alice));
  });

  it("S3: a ciphertext moved to another user does not decrypt", () => {
    const payload = box.encrypt(SECRET, alice);
    expect(() => box.decrypt(payload, bob)).toThrow(SecretDecryptionError);
    expect(() => box.decrypt(payload, { userId: "" })).toThrow();
  });

  it.each([
    ["iv", 1],
    ["tag", 2],
    ["ciphertext", 3],
  ])("refuses a tampered %s", (_, index) => {
    const payload = box.encrypt(SECRET, alice);
    expect(() => box.decrypt(alter(payload, index, flipFirstChar), alice)).toThrow(SecretDecryptionError);
  });

  it("refuses truncated tags and malformed payloads", () => {
    const payload = box.encrypt(SECRET, alice);
    expect(() =>
      box.decrypt(
        alter(payload, 2, (t) => t.slice(0, 8)),
        alice,
      ),
    ).toThrow(SecretDecryptionError);
    for (const bad of ["", SECRET, "v1:abc", `${payload}:x`, payload.replace(/^v1/, "1"), payload.replace(":", ":*")]) {
      expect(() => box.decrypt(bad, alice)).toThrow(SecretDecryptionError);
    }
  });

  it("refuses data encrypted with another key of the same version", () => {
    const other = createSecretBox(parseKeys(`1:${K2}`), 1);
    expect(() => other.decrypt(box.encrypt(SECRET, alice), alice)).toThrow(SecretDecryptionError);
  });

  it("rotates keys: version 1 data still decrypts after version 2 becomes current", () => {
    const old = box.encrypt(SECRET, alice);
    const rotated = createSecretBox(parseKeys(`1:${K1},2:${K2}`), 2);
    expect(rotated.decrypt(old, alice)).toBe(SECRET);
    const fresh = rotated.encrypt(SECRET, alice);
    expect(fresh.startsWith("v2:")).toBe(true);
    expect(rotated.needsReencryption(old)).toBe(true);
    expect(rotated.needsReencryption(fresh)).toBe(false);
    // Once version 1 is retired, its data is refused with a message naming the version, not the data.
    const retired = createSecretBox(parseKeys(`2:${K2}`), 2);
    expect(() => retired.decrypt(old, alice)).toThrow(/key version 1.*TWOFACTOR_ENCRYPTION_KEYS/);
  });

  it("names the variable for bad key configuration", () => {
    expect(() => parseKeys(`1:${randomBytes(16).toString("base64")}`)).toThrow(
      /TWOFACTOR_ENCRYPTION_KEYS: key version 1 must be exactly 32 bytes, got 16/,
    );
    expect(() => parseKeys("1:not base64!")).toThrow(/TWOFACTOR_ENCRYPTION_KEYS: entry 1 must be version:base64key/);
    expect(() => parseKeys(K1)).toThrow(/TWOFACTOR_ENCRYPTION_KEYS/);
    expect(() => parseKeys(`1:${K1},1:${K2}`)).toThrow(/TWOFACTOR_ENCRYPTION_KEYS: key version 1 is listed twice/);
    expect(() => parseKeys(`0:${K1}`)).toThrow(/TWOFACTOR_ENCRYPTION_KEYS/);
    expect(() => parseKeys("")).toThrow(/TWOFACTOR_ENCRYPTION_KEYS/);
    expect(() => createSecretBox(parseKeys(`1:${K1}`), 2)).toThrow(/TWOFACTOR_KEY_VERSION: version 2 is not in/);
    expect(() => createSecretBox(new Map([[1, randomBytes(31)]]), 1)).toThrow(/TWOFACTOR_ENCRYPTION_KEYS/);
  });

  it("never puts key material in configuration errors", () => {
    const short = randomBytes(16).toString("base64");
    expect(errorOf(() => parseKeys(`1:${short}`)).message).not.toContain(short);
    expect(errorOf(() => parseEnv({ TWOFACTOR_ENCRYPTION_KEYS: `1:${short}` })).message).not.toContain(short);
  });

  it("lib/env validates the variables and requires them in production (not while building)", () => {
    const parsed = parseEnv({ TWOFACTOR_ENCRYPTION_KEYS: ` 1:${K1} , 2:${K2} `, TWOFACTOR_KEY_VERSION: "2" });
    expect(parsed.TWOFACTOR_KEY_VERSION).toBe(2);
    expect([...(parsed.TWOFACTOR_ENCRYPTION_KEYS?.keys() ?? [])]).toEqual([1, 2]);
    expect(parsed.TWOFACTOR_ENCRYPTION_KEYS?.get(2)).toEqual(Buffer.from(K2, "base64"));

    expect(() => parseEnv({ TWOFACTOR_ENCRYPTION_KEYS: `1:${randomBytes(8).toString("base64")}` })).toThrow(
      /TWOFACTOR_ENCRYPTION_KEYS: key version 1 must be exactly 32 bytes/,
    );
    expect(() => parseEnv({ TWOFACTOR_ENCRYPTION_KEYS: `1:${K1}`, TWOFACTOR_KEY_VERSION: "3" })).toThrow(
      /TWOFACTOR_KEY_VERSION: must be one of the versions in TWOFACTOR_ENCRYPTION_KEYS \(1\)/,
    );
    expect(() => parseEnv({ TWOFACTOR_ENCRYPTION_KEYS: `1:${K1}` })).toThrow(/TWOFACTOR_KEY_VERSION: is required/);
    expect(() => parseEnv({ TWOFACTOR_KEY_VERSION: "1" })).toThrow(/TWOFACTOR_KEY_VERSION/);

    const prod = {
      NODE_ENV: "production",
      NEXTAUTH_SECRET: "x".repeat(32),
      NEXTAUTH_URL: "https://twofold.example.com",
      MAIL_FROM: "Twofold <security@example.com>",
      MAIL_TRANSPORT: "local",
      SMS_TRANSPORT: "local",
    };
    expect(() => parseEnv(prod)).toThrow(/TWOFACTOR_ENCRYPTION_KEYS: is required in production/);
    expect(parseEnv({ ...prod, TWOFACTOR_ENCRYPTION_KEYS: `1:${K1}`, TWOFACTOR_KEY_VERSION: "1" }).NODE_ENV).toBe(
      "production",
    );
    // While `next build` runs (Next's NEXT_PHASE), the production secrets are not needed yet.
    expect(parseEnv({ ...prod, NEXT_PHASE: "phase-production-build" }).TWOFACTOR_ENCRYPTION_KEYS).toBeUndefined();
  });

  it("error messages never contain the plaintext, key or payload", () => {
    const payload = box.encrypt(SECRET, alice);
    const messages = [
      errorOf(() => box.decrypt(payload, bob)).message,
      errorOf(() => box.decrypt(alter(payload, 3, flipFirstChar), alice)).message,
      errorOf(() =>
        box.decrypt(
          alter(payload, 0, () => "v9"),
          alice,
        ),
      ).message,
      errorOf(() => box.decrypt(`${payload}:${SECRET}`, alice)).message,
      errorOf(() => box.decrypt(SECRET, alice)).message,
    ];
    for (const message of messages) {
      expect(message.length).toBeGreaterThan(0);
      for (const secretText of [SECRET, K1, payload, ...payload.split(":").slice(1)]) {
        expect(message).not.toContain(secretText);
      }
    }
  });

  it("the default box (development key outside production) round-trips and binds the user", () => {
    const payload = encryptSecret(SECRET, alice);
    expect(payload.startsWith("v0:")).toBe(true); // the labelled development key in tests
    expect(decryptSecret(payload, alice)).toBe(SECRET);
    expect(() => decryptSecret(payload, bob)).toThrow(SecretDecryptionError);
  });
});
