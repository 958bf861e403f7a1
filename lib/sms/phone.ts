import { getCountries, getCountryCallingCode, parsePhoneNumberWithError } from "libphonenumber-js/max";

// Phone numbers for SMS codes (issue 12 item 1): a number typed by a person plus the country chosen in the picker →
// E.164 and the ISO country, with the reason in plain words when it cannot take a text.
//
// The "max" metadata is used (not "min"/"mobile") because it knows the number TYPE: only with it can a landline be told
// apart from an invalid number, and each gets its own message. Accepted types: MOBILE, and FIXED_LINE_OR_MOBILE —
// the type of every number in countries whose plans do not separate mobile from fixed lines (the United States and
// Canada, among others): refusing it would refuse every North American number, and a landline there fails
// at delivery instead (the provider answers that the number cannot receive texts). Refused: fixed lines, VoIP
// (NIST 800-63B 5.1.3.3 asks that the number be a mobile one, not VoIP), toll-free, premium-rate, shared-cost,
// personal, pager, UAN and voicemail numbers, and short codes.

export type PhoneProblem =
  | "EMPTY"
  | "NO_COUNTRY"
  | "UNKNOWN_COUNTRY"
  | "SHORT_CODE"
  | "TOO_SHORT"
  | "TOO_LONG"
  | "INVALID"
  | "CHARACTERS"
  | "LANDLINE"
  | "NOT_MOBILE";

export type ParsedPhone =
  | { ok: true; e164: string; country: string; type: "MOBILE" | "FIXED_LINE_OR_MOBILE" }
  | { ok: false; problem: PhoneProblem; message: string };

const messages: Record<PhoneProblem, string> = {
  EMPTY: "Enter your mobile number.",
  NO_COUNTRY: "Choose your country, or start the number with + and the country code (e.g. +44 7400 123456).",
  UNKNOWN_COUNTRY: "Choose a country from the list.",
  SHORT_CODE: "That looks like a short code (a service number of a few digits): enter your own mobile number.",
  TOO_SHORT: "That number is too short. Check the digits and the country.",
  TOO_LONG: "That number is too long. Check the digits and the country.",
  INVALID: "That is not a valid phone number. Check the digits and the country.",
  CHARACTERS: "Use only digits, spaces and + ( ) - . in the number.",
  LANDLINE: "That is a landline: codes are sent by text message, so enter a mobile number.",
  NOT_MOBILE: "That number cannot receive text messages (it is not a mobile number). Enter a mobile number.",
};

export const phoneProblemMessage = (problem: PhoneProblem): string => messages[problem];

const countries = new Set<string>(getCountries());

/** Whether `code` is an ISO 3166-1 alpha-2 country the phone metadata knows. */
export function isPhoneCountry(code: string): boolean {
  return countries.has(code);
}

const fail = (problem: PhoneProblem): ParsedPhone => ({ ok: false, problem, message: messages[problem] });

/**
 * Parses `input` (as typed: spaces, dashes, dots, brackets, a national leading 0, an international 00 prefix, or +)
 * with `country` (ISO alpha-2, from the picker; ignored when the number starts with + or 00 + a country code). Only
 * numbers that can receive an SMS are accepted (see the type rules above).
 */
export function parsePhone(input: string, country?: string | null): ParsedPhone {
  const raw = input.normalize("NFKC").trim();
  if (!raw) return fail("EMPTY");
  if (raw.length > 40) return fail("TOO_LONG");
  if (/[^\d\s()+./-]/.test(raw)) return fail("CHARACTERS");
  const digits = raw.replace(/\D/g, "");
  if (!digits) return fail("EMPTY");
  const international = raw.startsWith("+");
  const picked = country?.trim().toUpperCase() || null;
  if (picked && !countries.has(picked)) return fail("UNKNOWN_COUNTRY");
  // A bare run of 3 to 6 digits is a short code (e.g. 7726, 88000), never a personal number.
  if (!international && digits.length >= 3 && digits.length <= 6 && !raw.startsWith("0")) return fail("SHORT_CODE");
  if (!international && !picked) return fail("NO_COUNTRY");
  let parsed: ReturnType<typeof parsePhoneNumberWithError>;
  try {
    parsed = parsePhoneNumberWithError(
      raw,
      international ? undefined : { defaultCountry: picked as Parameters<typeof getCountryCallingCode>[0] },
    );
  } catch (e) {
    const code = e instanceof Error ? e.message : "";
    if (code === "TOO_SHORT") return fail("TOO_SHORT");
    if (code === "TOO_LONG") return fail("TOO_LONG");
    if (code === "INVALID_COUNTRY") return fail(international ? "INVALID" : "NO_COUNTRY");
    return fail("INVALID");
  }
  if (!parsed.isValid()) {
    const length = parsed.nationalNumber.length;
    if (length <= 6) return fail(international ? "TOO_SHORT" : "SHORT_CODE");
    return fail(parsed.isPossible() ? "INVALID" : length > 12 ? "TOO_LONG" : "INVALID");
  }
  const type = parsed.getType();
  if (type === "FIXED_LINE") return fail("LANDLINE");
  if (type !== "MOBILE" && type !== "FIXED_LINE_OR_MOBILE") return fail("NOT_MOBILE");
  // A valid number has a country (numbers of a shared calling code, e.g. +1, resolve to one by their prefix).
  const resolved = parsed.country ?? picked;
  if (!resolved) return fail("INVALID");
  return { ok: true, e164: parsed.number, country: resolved, type };
}

/** "+44 7400 123456" for a stored E.164 number (people read it in the international format). */
export function formatPhone(e164: string): string {
  try {
    return parsePhoneNumberWithError(e164).formatInternational();
  } catch {
    return e164;
  }
}

/** "•••• 3456": the last four digits of a number, all a page shows once the number is on file. */
export function maskPhone(e164: string): string {
  return `•••• ${e164.replace(/\D/g, "").slice(-4)}`;
}

/** The countries of the picker: ISO code, English name and calling code, sorted by name. */
export function phoneCountryOptions(): { code: string; name: string; dial: string }[] {
  const names = new Intl.DisplayNames(["en"], { type: "region" });
  return getCountries()
    .map((code) => ({ code, name: names.of(code) ?? code, dial: `+${getCountryCallingCode(code)}` }))
    .sort((a, b) => a.name.localeCompare(b.name, "en"));
}
