import { randomBytes } from "node:crypto";
import { generateSync, ScureBase32Plugin } from "otplib";
import { safeEqual } from "./tokens";

// TOTP (RFC 6238) over otplib 13's functional API. Every code we compute — the RFC vectors in the unit tests,
// enrollment checks, sign-in — goes through `hotpCode` below, so the tested path is the production path.
// Replay protection (S6) is NOT here: the caller accepts a step only through a conditional update of lastUsedStep.

export type TotpAlgorithm = "SHA1" | "SHA256" | "SHA512";
export type TotpOptions = {
  /** Milliseconds since the epoch (server clock). */
  time: number;
  algorithm?: TotpAlgorithm;
  digits?: 6 | 8;
  period?: 30;
};

export const TOTP_PERIOD = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of the current one (S5: ±1 at most). */
export const TOTP_MAX_WINDOW = 1;
const SECRET_BYTES = 20; // S2: 160 bits (RFC 4226 R6)

const base32 = new ScureBase32Plugin();
const ALGORITHMS = { SHA1: "sha1", SHA256: "sha256", SHA512: "sha512" } as const;

/** A new TOTP secret: 20 bytes from the CSPRNG, base32 (RFC 4648 alphabet, upper case, no padding). */
export function generateTotpSecret(): string {
  return base32.encode(randomBytes(SECRET_BYTES), { padding: false });
}

/** Decodes a base32 secret (case-insensitive, padding optional) to the raw HMAC key. */
export function decodeTotpSecret(secret: string): Uint8Array {
  const cleaned = secret.replace(/[\s=]/g, "");
  if (!/^[A-Za-z2-7]+$/.test(cleaned)) throw new Error("TOTP secret is not base32");
  return base32.decode(cleaned);
}

/** The `otpauth://` URI for the QR code (Key Uri Format), with every parameter explicit. */
export function otpauthUri({
  secret,
  accountName,
  issuer = "Twofold",
}: {
  secret: string;
  accountName: string;
  issuer?: string;
}): string {
  decodeTotpSecret(secret); // refuse to put a malformed secret into a QR code
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(accountName)}`;
  const params = [
    `secret=${secret.replace(/[\s=]/g, "").toUpperCase()}`,
    `issuer=${encodeURIComponent(issuer)}`,
    "algorithm=SHA1",
    `digits=${TOTP_DIGITS}`,
    `period=${TOTP_PERIOD}`,
  ];
  return `otpauth://totp/${label}?${params.join("&")}`;
}

/** The secret in groups of 4 (`ABCD EFGH …`) for typing it into an app by hand. */
export function formatSecretForDisplay(secret: string): string {
  return (secret.replace(/[\s=]/g, "").match(/.{1,4}/g) ?? []).join(" ");
}

/** The RFC 6238 time step (counter) for a time in milliseconds. */
export function timeStep(time: number, period = TOTP_PERIOD): number {
  if (!Number.isFinite(time) || time < 0) throw new RangeError("time must be a non-negative number of milliseconds");
  return Math.floor(Math.floor(time / 1000) / period);
}

function hotpCode(key: Uint8Array, step: number, algorithm: TotpAlgorithm, digits: number, period: number): string {
  // otplib's TOTP computes floor((epoch - t0) / period); passing the step's first second gives exactly `step`.
  return generateSync({
    secret: key,
    algorithm: ALGORITHMS[algorithm],
    digits,
    period,
    epoch: step * period,
  });
}

/** The code for a raw key (the RFC 6238 vectors use ASCII seeds) at `time`. */
export function totpAtKey(
  key: Uint8Array,
  { time, algorithm = "SHA1", digits = 6, period = TOTP_PERIOD }: TotpOptions,
): string {
  return hotpCode(key, timeStep(time, period), algorithm, digits, period);
}

/** The code for a base32 secret at `time` (what the user's authenticator app shows). */
export function totpAt(secret: string, options: TotpOptions): string {
  return totpAtKey(decodeTotpSecret(secret), options);
}

/** What users type, cleaned: spaces removed; null unless exactly 6 ASCII digits. */
export function normalizeTotpInput(raw: unknown): string | null {
  if (typeof raw !== "string") return null;
  const code = raw.replace(/\s/g, "");
  return /^[0-9]{6}$/.test(code) ? code : null;
}

/**
 * The time step whose code equals `code`, within the current step ±`window` (S5), or null.
 * Every candidate is computed and compared in constant time (no early exit). No replay protection here (S6).
 */
export function matchTotp(
  secret: string,
  code: string,
  { now = Date.now(), window = TOTP_MAX_WINDOW }: { now?: number; window?: number } = {},
): { step: number } | null {
  if (!Number.isInteger(window) || window < 0 || window > TOTP_MAX_WINDOW) {
    throw new RangeError(`window must be an integer from 0 to ${TOTP_MAX_WINDOW}`);
  }
  const input = normalizeTotpInput(code);
  const key = decodeTotpSecret(secret);
  const current = timeStep(now);
  let matched: number | null = null;
  for (let step = current - window; step <= current + window; step++) {
    if (step < 0) continue;
    const expected = hotpCode(key, step, "SHA1", TOTP_DIGITS, TOTP_PERIOD);
    // Compare even when the input is malformed, so timing does not depend on it.
    if (safeEqual(expected, input ?? "------") && input !== null && matched === null) matched = step;
  }
  return matched === null ? null : { step: matched };
}
