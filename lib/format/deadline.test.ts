import { describe, expect, it } from "vitest";
import { daysLeft, deadlineIn, formatDeadline } from "./deadline";

const now = new Date("2026-11-24T12:00:00.000Z");
const at = (hours: number) => new Date(now.getTime() + hours * 3600_000);

describe("deadline formatting", () => {
  it("says the date in UTC", () => {
    expect(formatDeadline(new Date("2026-12-08T19:42:00.000Z"))).toBe("Tue, 8 Dec 2026, 19:42 UTC");
  });
  it("rounds days left up and never goes below zero", () => {
    expect(daysLeft(at(30), now)).toBe(2);
    expect(daysLeft(at(24), now)).toBe(1);
    expect(daysLeft(at(-5), now)).toBe(0);
  });
  it("reads naturally", () => {
    expect(deadlineIn(at(72), now)).toBe("in 3 days");
    expect(deadlineIn(at(24), now)).toBe("in 1 day");
    expect(deadlineIn(at(5), now)).toBe("in less than a day");
    expect(deadlineIn(at(0), now)).toBe("passed");
  });
});
