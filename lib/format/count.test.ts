import { describe, expect, it } from "vitest";
import { countOf, formatCount, formatPercent } from "./count";

describe("formatCount", () => {
  it("groups thousands and says 'about' only for estimates", () => {
    expect(formatCount(0)).toBe("0");
    expect(formatCount(7)).toBe("7");
    expect(formatCount(999)).toBe("999");
    expect(formatCount(2506)).toBe("2,506");
    expect(formatCount(100_000)).toBe("100,000");
    expect(formatCount(1_234_567)).toBe("1,234,567");
    expect(formatCount(49_000, false)).toBe("about 49,000");
    expect(formatCount(1_234, true)).toBe("1,234");
  });

  it("never shows a fraction of a person", () => {
    expect(formatCount(2506.4)).toBe("2,506");
  });
});

describe("formatPercent", () => {
  it("rounds to one decimal and drops a trailing .0", () => {
    expect(formatPercent(1, 3)).toBe("33.3%");
    expect(formatPercent(2, 2)).toBe("100%");
    expect(formatPercent(0, 5)).toBe("0%");
    expect(formatPercent(2067, 2506)).toBe("82.5%");
  });

  it("shows a dash when there is nothing to divide", () => {
    expect(formatPercent(0, 0)).toBe("—");
  });
});

describe("countOf", () => {
  it("uses the singular for exactly one and groups the rest", () => {
    expect(countOf(1, "member")).toBe("1 member");
    expect(countOf(0, "member")).toBe("0 members");
    expect(countOf(2506, "member")).toBe("2,506 members");
    expect(countOf(2, "person", "people")).toBe("2 people");
  });
});
