import { createHmac, hkdfSync, randomInt } from "node:crypto";
import { authSecret } from "@/lib/env";

// Texted codes (issue 12, S41): 6 digits from the CSPRNG; only a keyed hash is stored. The key is a pepper derived
// (HKDF, its own label) from the app secret, so a database dump alone cannot test the million candidates; the hash is
// bound to the user and to the code's row, so a hash copied onto another row or account matches nothing.

let pepper: Buffer | undefined;
function smsPepper(): Buffer {
  pepper ??= Buffer.from(hkdfSync("sha256", authSecret(), "twofold", "twofold:sms-code-pepper:v1", 32));
  return pepper;
}

/** Six digits, uniform, with leading zeros. */
export function generateSmsCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

/** What people type, as 6 digits (spaces and dashes dropped), or null when it cannot be a texted code. */
export function normalizeSmsCode(raw: unknown): string | null {
  if (typeof raw !== "string" || raw.length > 40) return null;
  const code = raw.replace(/[\s\-\u2010-\u2015]/g, "");
  return /^\d{6}$/.test(code) ? code : null;
}

/** HMAC-SHA256 (hex) of a code, bound to its user and its SmsCode row. */
export function hashSmsCode(code: string, binding: { userId: string; codeId: string }): string {
  if (!/^\d{6}$/.test(code)) throw new TypeError("Malformed SMS code");
  return createHmac("sha256", smsPepper())
    .update(`sms-code\0${binding.userId}\0${binding.codeId}\0${code}`, "utf8")
    .digest("hex");
}
