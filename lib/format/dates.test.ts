// Times in the person's own time zone (issue 10 item 5; docs/decisions/0012-time-zones.md).
import { describe, expect, it } from "vitest";
import { attemptsLeftText, rateLimitDetail, secondFactorLockDetail } from "../errors";
import {
  formatDateTime,
  formatDay,
  formatDeadline,
  formatTime,
  formatTimeOfDay,
  NEVER,
  normalizeTimeZone,
  UTC,
} from "./dates";

const d = new Date("2026-12-08T23:42:05.000Z");

describe("dates in a time zone", () => {
  it("formats in UTC by default and says so", () => {
    expect(formatDay(d)).toBe("8 Dec 2026");
    expect(formatDateTime(d)).toBe("8 Dec 2026, 23:42 UTC");
    expect(formatTimeOfDay(d)).toBe("23:42:05 UTC");
    expect(formatDeadline(d)).toBe("Tue, 8 Dec 2026, 23:42 UTC");
  });

  it("formats in the given zone, naming the zone (winter and summer offsets)", () => {
    expect(formatDateTime(d, "America/New_York")).toBe("8 Dec 2026, 18:42 GMT-5");
    expect(formatDateTime(new Date("2026-07-08T23:42:05Z"), "America/New_York")).toBe("8 Jul 2026, 19:42 GMT-4");
    expect(formatTimeOfDay(d, "Europe/Paris")).toBe("00:42:05 CET");
    expect(formatDeadline(d, "Asia/Kolkata")).toBe("Wed, 9 Dec 2026, 05:12 GMT+5:30");
  });

  it("the day is the day in that zone", () => {
    expect(formatDay(d, "Europe/Paris")).toBe("9 Dec 2026");
    expect(formatDay(d, "America/Los_Angeles")).toBe("8 Dec 2026");
    expect(formatDay("2026-12-08T23:42:05.000Z", "Australia/Sydney")).toBe("9 Dec 2026");
  });

  it("a time of today says only the time; another day says the day too", () => {
    const now = new Date("2026-12-08T20:00:00Z");
    expect(formatTime(d, UTC, now)).toBe("23:42 UTC");
    expect(formatTime(d, "America/New_York", now)).toBe("18:42 GMT-5");
    // 00:42 in Paris is tomorrow there.
    expect(formatTime(d, "Europe/Paris", now)).toBe("9 Dec 2026, 00:42 CET");
  });

  it("spells a missing date one way", () => {
    expect(formatDay(null, "Europe/Paris")).toBe(NEVER);
    expect(formatDateTime(undefined, "Europe/Paris")).toBe(NEVER);
  });

  it("accepts only zones the runtime knows; anything else is UTC", () => {
    expect(normalizeTimeZone("America/New_York")).toBe("America/New_York");
    expect(normalizeTimeZone("UTC")).toBe("UTC");
    for (const bad of [null, undefined, "", "Mars/Olympus", "<script>", "America/New_York; Path=/", "x".repeat(80)])
      expect(normalizeTimeZone(bad)).toBe(UTC);
  });

  it("lock and throttle messages say the unlock time in the person's zone", () => {
    const now = new Date("2026-12-08T23:20:00Z");
    expect(secondFactorLockDetail(d, "America/New_York", now)).toContain("Try again after 18:42 GMT-5 (you can");
    expect(secondFactorLockDetail(d, UTC, now)).toContain("Try again after 23:42 UTC");
    expect(rateLimitDetail(d, "Europe/Paris", now)).toContain("Try again after 00:42 CET,"); // already 9 Dec in Paris;
    // A hard lock (100 failures) names no time: an administrator ends it.
    expect(secondFactorLockDetail(new Date(now.getTime() + 365 * 24 * 3600_000), UTC, now)).toMatch(
      /Ask your organization's owner or an administrator/,
    );
  });

  it("attempts left", () => {
    expect(attemptsLeftText(7, "two-factor")).toBe("7 attempts left before two-factor sign-in is locked.");
    expect(attemptsLeftText(1, "password")).toBe("1 attempt left before sign-in is paused.");
  });
});
