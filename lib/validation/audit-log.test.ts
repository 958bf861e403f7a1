import { describe, expect, it } from "vitest";
import { parseAuditFilter } from "./audit-log";

describe("audit log filters from the URL", () => {
  it("keeps good values and trims text", () => {
    expect(
      parseAuditFilter({
        type: "2fa.admin_reset",
        actor: "  Ana ",
        target: "tom@acme.test",
        from: "2026-11-01",
        to: "2026-11-30",
        before: "1795000000000-cmabc123",
      }),
    ).toEqual({
      type: "2fa.admin_reset",
      actor: "Ana",
      target: "tom@acme.test",
      from: "2026-11-01",
      to: "2026-11-30",
      before: "1795000000000-cmabc123",
    });
  });

  it("drops each bad or blank parameter on its own, and takes the first of repeated ones", () => {
    expect(
      parseAuditFilter({
        type: "DROP TABLE",
        actor: "",
        target: "x".repeat(101),
        from: "2026-02-30",
        to: ["2026-11-30", "2026-12-01"],
        before: "not-a-cursor!",
      }),
    ).toEqual({ to: "2026-11-30" });
    expect(parseAuditFilter({})).toEqual({});
  });
});
