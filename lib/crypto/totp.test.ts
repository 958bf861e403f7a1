import { generate, generateSecret, verify } from "otplib";
import { describe, expect, it } from "vitest";
import {
  decodeTotpSecret,
  formatSecretForDisplay,
  generateTotpSecret,
  matchTotp,
  normalizeTotpInput,
  otpauthUri,
  type TotpAlgorithm,
  timeStep,
  totpAt,
  totpAtKey,
} from "./totp";

// RFC 6238 Appendix B: T0 = 0, X = 30, 8 digits; ASCII seed "12345678901234567890" repeated to the hash size.
const seed = (bytes: number) => new TextEncoder().encode("1234567890".repeat(7).slice(0, bytes));
const SEEDS: Record<TotpAlgorithm, { key: Uint8Array; base32: string }> = {
  SHA1: { key: seed(20), base32: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" },
  SHA256: { key: seed(32), base32: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA====" },
  SHA512: {
    key: seed(64),
    base32: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA=",
  },
};
const VECTORS: [seconds: number, sha1: string, sha256: string, sha512: string][] = [
  [59, "94287082", "46119246", "90693936"],
  [1111111109, "07081804", "68084774", "25091201"],
  [1111111111, "14050471", "67062674", "99943326"],
  [1234567890, "89005924", "91819424", "93441116"],
  [2000000000, "69279037", "90698825", "38618901"],
  [20000000000, "65353130", "77737706", "47863826"],
];
const ROWS = VECTORS.flatMap(([seconds, sha1, sha256, sha512]) =>
  (
    [
      ["SHA1", sha1],
      ["SHA256", sha256],
      ["SHA512", sha512],
    ] as const
  ).map(([algorithm, expected]) => ({ seconds, algorithm, expected })),
);

describe("TOTP (lib/crypto/totp.ts)", () => {
  it("has all 18 RFC 6238 Appendix B rows", () => {
    expect(ROWS).toHaveLength(18);
    expect(SEEDS.SHA1.key).toHaveLength(20);
    expect(SEEDS.SHA256.key).toHaveLength(32);
    expect(SEEDS.SHA512.key).toHaveLength(64);
  });

  it.each(ROWS)("S1: RFC 6238 T=$seconds $algorithm → $expected (raw key)", ({ seconds, algorithm, expected }) => {
    expect(totpAtKey(SEEDS[algorithm].key, { time: seconds * 1000, algorithm, digits: 8 })).toBe(expected);
  });

  it.each(ROWS)(
    "S1: RFC 6238 T=$seconds $algorithm → $expected (base32 secret)",
    ({ seconds, algorithm, expected }) => {
      expect(totpAt(SEEDS[algorithm].base32, { time: seconds * 1000, algorithm, digits: 8 })).toBe(expected);
    },
  );

  it("S1: RFC 4226 HOTP vectors (SHA-1, 6 digits) for counters 0–9", () => {
    const expected = [
      "755224",
      "287082",
      "359152",
      "969429",
      "338314",
      "254676",
      "287922",
      "162583",
      "399871",
      "520489",
    ];
    const codes = expected.map((_, counter) => totpAtKey(SEEDS.SHA1.key, { time: counter * 30_000 }));
    expect(codes).toEqual(expected);
  });

  it("S2: secrets are 20 random bytes in unpadded base32", () => {
    const a = generateTotpSecret();
    const b = generateTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(decodeTotpSecret(a)).toHaveLength(20);
    expect(a).not.toBe(b);
  });

  it("computes 30-second time steps from milliseconds", () => {
    expect(timeStep(0)).toBe(0);
    expect(timeStep(29_999)).toBe(0);
    expect(timeStep(30_000)).toBe(1);
    expect(timeStep(59_000)).toBe(1);
    expect(timeStep(20_000_000_000_000)).toBe(666_666_666);
    expect(() => timeStep(-1)).toThrow(RangeError);
  });

  describe("S5: matchTotp accepts the current step ±1 only (explicit server clock)", () => {
    const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    const now = 1_700_000_015_000; // middle of a step
    const current = timeStep(now);
    const codeAt = (delta: number) => totpAt(secret, { time: (current + delta) * 30_000 });

    it("codes for the steps -2..+2 are distinct (precondition)", () => {
      expect(new Set([-2, -1, 0, 1, 2].map(codeAt)).size).toBe(5);
    });

    it.each([-1, 0, 1])("accepts the code for step %i and returns that step", (delta) => {
      expect(matchTotp(secret, codeAt(delta), { now })).toEqual({ step: current + delta });
    });

    it.each([-2, 2, -10, 10])("rejects the code for step %i", (delta) => {
      expect(matchTotp(secret, codeAt(delta), { now })).toBeNull();
    });

    it("window 0 accepts only the current step; a window above 1 is refused", () => {
      expect(matchTotp(secret, codeAt(0), { now, window: 0 })).toEqual({ step: current });
      expect(matchTotp(secret, codeAt(1), { now, window: 0 })).toBeNull();
      expect(() => matchTotp(secret, codeAt(0), { now, window: 2 })).toThrow(RangeError);
    });

    it("accepts the code typed with spaces", () => {
      const code = codeAt(0);
      expect(matchTotp(secret, ` ${code.slice(0, 3)} ${code.slice(3)} `, { now })).toEqual({ step: current });
    });

    it("rejects non-digits, wrong lengths and empty input", () => {
      const code = codeAt(0);
      for (const bad of [
        "",
        "   ",
        "12345",
        "1234567",
        `${code}0`,
        code.slice(1),
        "abcdef",
        "12a456",
        "１２３４５６",
      ]) {
        expect(matchTotp(secret, bad, { now })).toBeNull();
      }
      expect(matchTotp(secret, undefined as unknown as string, { now })).toBeNull();
    });

    it("rejects the right code for a different secret", () => {
      expect(matchTotp(generateTotpSecret(), codeAt(0), { now })).toBeNull();
    });
  });

  it("normalizeTotpInput strips spaces and requires exactly 6 ASCII digits", () => {
    expect(normalizeTotpInput("123 456")).toBe("123456");
    expect(normalizeTotpInput(" 012345\n")).toBe("012345");
    expect(normalizeTotpInput("123-456")).toBeNull();
    expect(normalizeTotpInput("12345")).toBeNull();
    expect(normalizeTotpInput("1234567")).toBeNull();
    expect(normalizeTotpInput("")).toBeNull();
    expect(normalizeTotpInput("١٢٣٤٥٦")).toBeNull();
    expect(normalizeTotpInput(123456)).toBeNull();
  });

  it("interoperates with otplib (what authenticator apps compute)", async () => {
    const now = Date.now();
    const secret = generateTotpSecret();
    const theirs = await generate({ secret, epoch: Math.floor(now / 1000) });
    expect(matchTotp(secret, theirs, { now })).toEqual({ step: timeStep(now) });
    expect(totpAt(secret, { time: now })).toBe(theirs);

    const otplibSecret = generateSecret();
    const ours = totpAt(otplibSecret, { time: now });
    await expect(verify({ secret: otplibSecret, token: ours, epoch: Math.floor(now / 1000) })).resolves.toMatchObject({
      valid: true,
      timeStep: timeStep(now),
    });
  });

  it("builds an otpauth URI that parses with new URL", () => {
    const secret = generateTotpSecret();
    const url = new URL(otpauthUri({ secret, accountName: "ada+2fa@example.com" }));
    expect(url.protocol).toBe("otpauth:");
    expect(url.host).toBe("totp");
    expect(decodeURIComponent(url.pathname)).toBe("/Twofold:ada+2fa@example.com");
    expect(url.searchParams.get("secret")).toBe(secret);
    expect(url.searchParams.get("issuer")).toBe("Twofold");
    expect(url.searchParams.get("algorithm")).toBe("SHA1");
    expect(url.searchParams.get("digits")).toBe("6");
    expect(url.searchParams.get("period")).toBe("30");
    expect(() => otpauthUri({ secret: "not base32!", accountName: "a@example.com" })).toThrow();
  });

  it("formats the secret in groups of 4", () => {
    expect(formatSecretForDisplay("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")).toBe("JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP");
    expect(formatSecretForDisplay("ABCDEF")).toBe("ABCD EF");
  });
});
