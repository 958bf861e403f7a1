import { describe, expect, it } from "vitest";
import { formatCount } from "./count";

describe("formatCount", () => {
  it("groups thousands and says 'about' only for estimates", () => {
    expect(formatCount(7)).toBe("7");
    expect(formatCount(100_000)).toBe("100,000");
    expect(formatCount(49_000, false)).toBe("about 49,000");
    expect(formatCount(1_234, true)).toBe("1,234");
  });
});
