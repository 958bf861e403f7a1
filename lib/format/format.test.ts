import { describe, expect, it } from "vitest";
import { formatDateTime, formatDay, formatTimeOfDay, NEVER } from "./dates";
import { roleLabel, signInMethodLabel, typeLabel } from "./labels";

describe("labels", () => {
  it("names roles and member types, and shows unknown values as they are", () => {
    expect(["OWNER", "ADMIN", "MEMBER"].map(roleLabel)).toEqual(["Owner", "Administrator", "Member"]);
    expect(["EMPLOYEE", "CLIENT", "CONTRACTOR", "VENDOR"].map(typeLabel)).toEqual([
      "Employee",
      "Client",
      "Contractor",
      "VENDOR",
    ]);
    expect([signInMethodLabel("SSO"), signInMethodLabel("PASSWORD")]).toEqual(["SSO", "Password"]);
  });
});

describe("dates", () => {
  const d = new Date("2026-12-08T23:42:05.000Z");
  it("says days and times in UTC, whatever the server's time zone", () => {
    expect(formatDay(d)).toBe("8 Dec 2026");
    expect(formatDay(d.toISOString())).toBe("8 Dec 2026");
    expect(formatDateTime(d)).toBe("8 Dec 2026, 23:42 UTC");
    expect(formatTimeOfDay(d)).toBe("23:42:05 UTC");
  });
  it("spells a missing date one way", () => {
    expect(formatDay(null)).toBe("Never");
    expect(formatDateTime(undefined)).toBe(NEVER);
  });
});
