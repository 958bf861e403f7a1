import { describe, expect, it } from "vitest";
import { formatPhone, isPhoneCountry, maskPhone, type PhoneProblem, parsePhone, phoneCountryOptions } from "./phone";

// Issue 12 item 1: numbers as people type them, with the country of the picker, → E.164 + ISO country; only numbers
// that can receive a text. 10 countries; landlines, short codes, spaces, leading zeros, a missing "+".
const accepted: [input: string, country: string | null, e164: string, iso: string][] = [
  ["07400 123456", "GB", "+447400123456", "GB"], // national leading 0, spaces
  ["+44 7400 123456", null, "+447400123456", "GB"],
  ["+44 (0)7400 123456", null, "+447400123456", "GB"], // the (0) written in British style
  ["0044 7400 123456", "GB", "+447400123456", "GB"], // international 00 prefix instead of +
  ["447400123456", "GB", "+447400123456", "GB"], // "+" missing, country code typed
  ["7400123456", "GB", "+447400123456", "GB"], // national number without the leading 0
  ["07400-123-456", "GB", "+447400123456", "GB"],
  ["０７４００ １２３４５６", "GB", "+447400123456", "GB"], // full-width digits (a Japanese keyboard)
  ["(201) 555-0123", "US", "+12015550123", "US"], // North America: FIXED_LINE_OR_MOBILE accepted
  ["+1 201-555-0123", null, "+12015550123", "US"],
  ["+49 1512 3456789", null, "+4915123456789", "DE"],
  ["01512 3456789", "DE", "+4915123456789", "DE"],
  ["06 12 34 56 78", "FR", "+33612345678", "FR"],
  ["33612345678", "FR", "+33612345678", "FR"], // "+" missing
  ["098765 43210", "IN", "+919876543210", "IN"], // leading zero
  ["+81 90-1234-5678", null, "+819012345678", "JP"],
  ["0412 345 678", "AU", "+61412345678", "AU"],
  ["(11) 91234-5678", "BR", "+5511912345678", "BR"],
  ["+234 803 123 4567", null, "+2348031234567", "NG"],
  ["+39 312 345 6789", null, "+393123456789", "IT"],
  ["+44 7400 123456", "FR", "+447400123456", "GB"], // the + number wins over the picker
];

const refused: [input: string, country: string | null, problem: PhoneProblem][] = [
  ["020 7946 0018", "GB", "LANDLINE"],
  ["030 123456", "DE", "LANDLINE"],
  ["+49 30 1234567", null, "LANDLINE"],
  ["+33 1 23 45 67 89", null, "LANDLINE"],
  ["03-1234-5678", "JP", "LANDLINE"],
  ["+61 2 9374 4000", null, "LANDLINE"],
  ["+55 11 3123-4567", null, "LANDLINE"],
  ["06 1234 5678", "IT", "LANDLINE"],
  ["+1 800 555 0199", null, "NOT_MOBILE"], // toll-free
  ["+1 900 555 0123", null, "NOT_MOBILE"], // premium rate
  ["+44 9098 790000", null, "NOT_MOBILE"], // premium rate
  ["+44 56 1234 5678", null, "NOT_MOBILE"], // VoIP
  ["7726", "GB", "SHORT_CODE"],
  ["88000", "US", "SHORT_CODE"],
  ["2015550123", null, "NO_COUNTRY"], // "+" missing and no country chosen
  ["06 12 34 56 78", null, "NO_COUNTRY"],
  ["0412 345 678", "XX", "UNKNOWN_COUNTRY"],
  ["+44 74", null, "TOO_SHORT"],
  ["12345678901234567890", "GB", "TOO_LONG"],
  ["+447400123456789", null, "TOO_LONG"],
  ["+44 7400 12345", null, "INVALID"],
  ["+999 1234567", null, "INVALID"], // no such calling code
  ["1234567", "US", "INVALID"],
  ["abc", "GB", "CHARACTERS"],
  ["07400 123456; DROP", "GB", "CHARACTERS"],
  ["", "GB", "EMPTY"],
  ["   ", "GB", "EMPTY"],
  ["9".repeat(100_000), "GB", "TOO_LONG"],
];

describe("parsePhone", () => {
  it.each(accepted)("accepts %j (%s) as %s", (input, country, e164, iso) => {
    const parsed = parsePhone(input, country);
    expect(parsed).toMatchObject({ ok: true, e164, country: iso });
  });

  it.each(refused)("refuses %j (%s): %s", (input, country, problem) => {
    const parsed = parsePhone(input, country);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.problem).toBe(problem);
      expect(parsed.message.length).toBeGreaterThan(10);
    }
  });

  it("covers at least 20 numbers across 8 countries", () => {
    const countries = new Set(accepted.map(([, , , iso]) => iso));
    expect(accepted.length + refused.length).toBeGreaterThanOrEqual(20);
    expect(countries.size).toBeGreaterThanOrEqual(8);
  });

  it("gives a landline a different message from an invalid number", () => {
    const landline = parsePhone("020 7946 0018", "GB");
    const invalid = parsePhone("+44 7400 12345", null);
    expect(!landline.ok && landline.message).toMatch(/landline/);
    expect(!invalid.ok && invalid.message).not.toMatch(/landline/);
  });
});

describe("phone helpers", () => {
  it("formats, masks and lists countries", () => {
    expect(formatPhone("+447400123456")).toBe("+44 7400 123456");
    expect(maskPhone("+447400123456")).toBe("•••• 3456");
    expect(isPhoneCountry("GB")).toBe(true);
    expect(isPhoneCountry("XX")).toBe(false);
    const options = phoneCountryOptions();
    expect(options.find((o) => o.code === "DE")).toEqual({ code: "DE", name: "Germany", dial: "+49" });
    expect(options.length).toBeGreaterThan(200);
  });
});
