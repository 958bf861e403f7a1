import { describe, expect, it } from "vitest";
import {
  generateRecoveryCodes,
  hashRecoveryCode,
  normalizeRecoveryCode,
  RECOVERY_CODE_ALPHABET,
  RECOVERY_CODE_LENGTH,
} from "./recovery-codes";

const FORMAT = /^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/;

describe("recovery codes (lib/crypto/recovery-codes.ts)", () => {
  it("S12: generates 10 unique codes in the xxxxx-xxxxx-xxxxx-xxxxx format", () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(FORMAT);
    expect(generateRecoveryCodes(3)).toHaveLength(3);
  });

  it("S12: each code carries at least 80 bits from an unambiguous 32-symbol alphabet", () => {
    expect(new Set(RECOVERY_CODE_ALPHABET).size).toBe(32);
    expect(RECOVERY_CODE_ALPHABET).toMatch(/^[^ilou]+$/);
    expect(RECOVERY_CODE_LENGTH * Math.log2(RECOVERY_CODE_ALPHABET.length)).toBeGreaterThanOrEqual(80);
    const code = generateRecoveryCodes(1)[0] ?? "";
    expect(code.replaceAll("-", "")).toHaveLength(RECOVERY_CODE_LENGTH);
  });

  it("uses the whole alphabet (no bias towards a few symbols)", () => {
    const chars = new Set(generateRecoveryCodes(50).join("").replaceAll("-", ""));
    expect(chars.size).toBe(32); // 1000 draws: each symbol missing with probability ≈ 1e-14
  });

  it("normalises what users type: case, spaces, dashes and look-alikes", () => {
    expect(normalizeRecoveryCode("ABCDE FGHIJ-klmno  pqrst")).toBe("abcde-fgh1j-k1mn0-pqrst");
    const code = generateRecoveryCodes(1)[0] ?? "";
    expect(normalizeRecoveryCode(code)).toBe(code);
    expect(normalizeRecoveryCode(code.toUpperCase())).toBe(code);
    expect(normalizeRecoveryCode(` ${code.replaceAll("-", " ")} `)).toBe(code);
    expect(normalizeRecoveryCode(code.replaceAll("-", ""))).toBe(code);
    expect(normalizeRecoveryCode(code.replaceAll("-", "–"))).toBe(code); // en dash from autocorrect
  });

  it("rejects wrong lengths and characters", () => {
    for (const bad of [
      "",
      "abcde-fghjk-mnpqr-stvw",
      "abcde-fghjk-mnpqr-stvwxy",
      "abcde-fghjk-mnpqr-stvwu",
      "abcde-fghjk-mnpqr-stvw!",
      "abcde_fghjk_mnpqr_stvwx",
      "äbcde-fghjk-mnpqr-stvwx",
      "123456",
    ]) {
      expect(normalizeRecoveryCode(bad)).toBeNull();
    }
    expect(normalizeRecoveryCode(undefined)).toBeNull();
    expect(normalizeRecoveryCode("a".repeat(10_000))).toBeNull();
  });

  it("hashes deterministically per user, differently between users, without the code", () => {
    const code = generateRecoveryCodes(1)[0] ?? "";
    const hash = hashRecoveryCode(code, "user_a");
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode(code, "user_a")).toBe(hash);
    expect(hashRecoveryCode(code.toUpperCase().replaceAll("-", " "), "user_a")).toBe(hash);
    expect(hashRecoveryCode(code, "user_b")).not.toBe(hash);
    expect(hashRecoveryCode(generateRecoveryCodes(1)[0] ?? "", "user_a")).not.toBe(hash);
    for (const part of [code, code.replaceAll("-", ""), ...code.split("-")]) expect(hash).not.toContain(part);
  });

  it("refuses to hash a malformed code, without echoing it", () => {
    expect(() => hashRecoveryCode("not-a-code", "user_a")).toThrow(/^Malformed recovery code$/);
    expect(() => hashRecoveryCode(generateRecoveryCodes(1)[0] ?? "", "")).toThrow(TypeError);
  });
});
