import { describe, expect, it } from "vitest";
import { type CapState, countryAllowed, decideSend, nextUtcDay, SMS_RESEND_MS, utcDayStart } from "./caps";

// Cap arithmetic on a fake clock: the UTC day boundaries, the resend wait, and which cap refuses first.

const limits = { perNumber: 10, perAccount: 10, perIp: 20 };
const fresh: CapState = { lastCodeAt: null, toNumber: 0, toAccount: 0, fromIp: 0, organizations: [] };

describe("UTC days", () => {
  it("starts and ends at 00:00 UTC, whatever the hour", () => {
    const t = new Date("2031-03-05T23:59:59.999Z");
    expect(utcDayStart(t).toISOString()).toBe("2031-03-05T00:00:00.000Z");
    expect(nextUtcDay(t).toISOString()).toBe("2031-03-06T00:00:00.000Z");
    expect(utcDayStart(new Date("2031-03-06T00:00:00.000Z")).toISOString()).toBe("2031-03-06T00:00:00.000Z");
    expect(nextUtcDay(new Date("2031-12-31T12:00:00Z")).toISOString()).toBe("2032-01-01T00:00:00.000Z");
    expect(nextUtcDay(new Date("2032-02-28T12:00:00Z")).toISOString()).toBe("2032-02-29T00:00:00.000Z");
  });
});

describe("decideSend", () => {
  const now = new Date("2031-03-05T14:00:00Z");
  const tomorrow = new Date("2031-03-06T00:00:00Z");

  it("allows up to the limit and refuses the next one until tomorrow", () => {
    expect(decideSend({ ...fresh, toNumber: 9 }, limits, now)).toEqual({ ok: true });
    expect(decideSend({ ...fresh, toNumber: 10 }, limits, now)).toEqual({
      ok: false,
      cap: "number",
      retryAt: tomorrow,
    });
    expect(decideSend({ ...fresh, toAccount: 10 }, limits, now)).toEqual({
      ok: false,
      cap: "account",
      retryAt: tomorrow,
    });
    expect(decideSend({ ...fresh, fromIp: 19 }, limits, now)).toEqual({ ok: true });
    expect(decideSend({ ...fresh, fromIp: 20 }, limits, now)).toEqual({ ok: false, cap: "ip", retryAt: tomorrow });
  });

  it("does not apply the IP cap when the client IP is unknown", () => {
    expect(decideSend({ ...fresh, fromIp: null }, limits, now)).toEqual({ ok: true });
  });

  it("names the organization whose own limit is reached", () => {
    const organizations = [
      { id: "a", count: 3, limit: 200 },
      { id: "b", count: 5, limit: 5 },
    ];
    expect(decideSend({ ...fresh, organizations }, limits, now)).toEqual({
      ok: false,
      cap: "organization",
      retryAt: tomorrow,
      organizationId: "b",
    });
  });

  it("makes a person wait 30 s between codes, to the millisecond", () => {
    const last = new Date(now.getTime() - SMS_RESEND_MS + 1);
    expect(decideSend({ ...fresh, lastCodeAt: last }, limits, now)).toEqual({
      ok: false,
      cap: "resend",
      retryAt: new Date(now.getTime() + 1),
    });
    expect(decideSend({ ...fresh, lastCodeAt: new Date(now.getTime() - SMS_RESEND_MS) }, limits, now)).toEqual({
      ok: true,
    });
  });

  it("a refusal a second before midnight lifts at midnight", () => {
    const late = new Date("2031-03-05T23:59:59Z");
    expect(decideSend({ ...fresh, toNumber: 10 }, limits, late)).toMatchObject({ retryAt: tomorrow });
  });
});

describe("countryAllowed", () => {
  it("needs every organization's list to name the country; empty lists allow none", () => {
    expect(countryAllowed("gb", [{ smsCountries: ["GB"] }])).toBe(true);
    expect(countryAllowed("GB", [{ smsCountries: ["GB"] }, { smsCountries: ["US"] }])).toBe(false);
    expect(countryAllowed("GB", [{ smsCountries: [] }])).toBe(false);
  });
  it("outside any organization, the operator's list decides (empty: none)", () => {
    expect(countryAllowed("GB", [], [])).toBe(false);
    expect(countryAllowed("GB", [], ["GB", "IE"])).toBe(true);
  });
});
