import { describe, expect, it } from "vitest";
import { auditQuery, shortUserAgent, toAuditSearch } from "./filters";

describe("audit log URL filters → search", () => {
  it("turns days into a [from, next midnight) range, swapping a reversed range", () => {
    expect(toAuditSearch({ from: "2026-11-01", to: "2026-11-02" })).toMatchObject({
      from: new Date("2026-11-01T00:00:00Z"),
      to: new Date("2026-11-03T00:00:00Z"),
    });
    expect(toAuditSearch({ from: "2026-11-05", to: "2026-11-01" })).toMatchObject({
      from: new Date("2026-11-01T00:00:00Z"),
      to: new Date("2026-11-06T00:00:00Z"),
    });
  });

  it("drops an unknown event type and a malformed cursor; keeps the rest", () => {
    expect(toAuditSearch({ type: "made.up", actor: "ana", before: "12-zz" })).toEqual({
      type: undefined,
      actor: "ana",
      target: undefined,
      from: undefined,
      to: undefined,
      before: { createdAt: new Date(12), id: "zz" },
    });
    expect(toAuditSearch({ type: "ownership.transferred" }).type).toBe("ownership.transferred");
  });

  it("builds links that keep the filters", () => {
    expect(auditQuery({ type: "signin.failed", actor: "a b", before: "1-x" })).toBe("?type=signin.failed&actor=a+b");
    expect(auditQuery({ type: "signin.failed" }, { before: "1-x" })).toBe("?type=signin.failed&before=1-x");
    expect(auditQuery({})).toBe("");
  });

  it("shortens user agents", () => {
    expect(
      shortUserAgent(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
      ),
    ).toBe("Chrome on macOS");
    expect(shortUserAgent("vitest")).toBe("vitest");
    expect(shortUserAgent(null)).toBe("");
  });
});
