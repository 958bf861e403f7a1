import { describe, expect, it } from "vitest";
import { backoffMs, MAX_ATTEMPTS } from "./deliver";

const SECOND = 1000;
const MINUTE = 60 * SECOND;

describe("outbox retry schedule", () => {
  it("doubles from 30 s and caps at 1 h (no jitter)", () => {
    const schedule = Array.from({ length: MAX_ATTEMPTS }, (_, i) => backoffMs(i + 1, () => 0));
    expect(schedule).toEqual([
      30 * SECOND,
      1 * MINUTE,
      2 * MINUTE,
      4 * MINUTE,
      8 * MINUTE,
      16 * MINUTE,
      32 * MINUTE,
      60 * MINUTE,
      60 * MINUTE,
      60 * MINUTE,
      60 * MINUTE,
      60 * MINUTE,
    ]);
  });

  it("jitters down by at most 20 %, never above the cap", () => {
    for (let attempts = 1; attempts <= MAX_ATTEMPTS; attempts++) {
      const base = backoffMs(attempts, () => 0);
      expect(backoffMs(attempts, () => 0.999999)).toBeGreaterThanOrEqual(Math.floor(base * 0.8));
      for (let i = 0; i < 50; i++) {
        const d = backoffMs(attempts);
        expect(d).toBeGreaterThanOrEqual(Math.floor(base * 0.8));
        expect(d).toBeLessThanOrEqual(base);
        expect(d).toBeLessThanOrEqual(60 * MINUTE);
      }
    }
  });

  it("gives up after 12 attempts, about 5 hours after the first", () => {
    expect(MAX_ATTEMPTS).toBe(12);
    let total = 0;
    for (let attempts = 1; attempts < MAX_ATTEMPTS; attempts++) total += backoffMs(attempts, () => 0);
    expect(total).toBe(303.5 * MINUTE); // 0.5+1+2+4+8+16+32 min, then 4 × 1 h
  });
});
