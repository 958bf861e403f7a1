import { createHmac, hkdfSync, randomBytes } from "node:crypto";
import { authSecret } from "@/lib/env";

// Recovery codes (S12–S14): 10 codes of 20 characters from Crockford's base32 alphabet (no i, l, o, u), 100 bits
// each, shown as `xxxxx-xxxxx-xxxxx-xxxxx` in lower case. What users type is normalised (case, spaces, dashes, and
// the look-alikes o→0, i/l→1 as Crockford specifies). Only keyed hashes are stored.

/** Crockford base32: 32 symbols, without the ambiguous i, l, o (and u). */
export const RECOVERY_CODE_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
export const RECOVERY_CODE_LENGTH = 20;
export const RECOVERY_CODE_COUNT = 10;
const GROUP = 5;
const LOOK_ALIKES: Record<string, string> = { o: "0", i: "1", l: "1" };

function format(chars: string): string {
  return (chars.match(new RegExp(`.{${GROUP}}`, "g")) ?? []).join("-");
}

/** `count` distinct codes from the CSPRNG, display form. Show them once; store only `hashRecoveryCode`. */
export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  const codes = new Set<string>();
  while (codes.size < count) {
    // 256 is a multiple of 32, so `byte & 31` is uniform over the alphabet.
    const chars = [...randomBytes(RECOVERY_CODE_LENGTH)].map((b) => RECOVERY_CODE_ALPHABET.charAt(b & 31)).join("");
    codes.add(format(chars));
  }
  return [...codes];
}

/** The canonical (display) form of what a user typed, or null when it cannot be a recovery code. */
export function normalizeRecoveryCode(raw: unknown): string | null {
  if (typeof raw !== "string" || raw.length > 100) return null;
  const chars = raw
    .toLowerCase()
    .replace(/[\s\-\u2010-\u2015]/g, "")
    .replace(/[oil]/g, (c) => LOOK_ALIKES[c] ?? c);
  if (chars.length !== RECOVERY_CODE_LENGTH) return null;
  for (const c of chars) if (!RECOVERY_CODE_ALPHABET.includes(c)) return null;
  return format(chars);
}

let pepper: Buffer | undefined;

// A server-side pepper derived (HKDF, own label) from the app secret, so a database dump alone cannot test codes.
// Note: rotating NEXTAUTH_SECRET invalidates stored recovery-code hashes (users must regenerate their codes).
function recoveryPepper(): Buffer {
  pepper ??= Buffer.from(hkdfSync("sha256", authSecret(), "twofold", "twofold:recovery-code-pepper:v1", 32));
  return pepper;
}

/** HMAC-SHA256 (hex) of the canonical code, bound to the user. Throws for a malformed code (message has no code). */
export function hashRecoveryCode(code: string, userId: string): string {
  const canonical = normalizeRecoveryCode(code);
  if (canonical === null) throw new TypeError("Malformed recovery code");
  if (typeof userId !== "string" || userId === "") throw new TypeError("userId is required");
  return createHmac("sha256", recoveryPepper()).update(`recovery-code\0${userId}\0${canonical}`, "utf8").digest("hex");
}
