import { describe, expect, it } from "vitest";
import { auditEventLabel, auditEventLabels, isAuditEventType } from "./audit-labels";
import { describeAuditEvent } from "./audit-text";

describe("audit sentences", () => {
  it("every known event type has its own sentence (never the generic fallback) and a label", () => {
    for (const type of Object.keys(auditEventLabels)) {
      const text = describeAuditEvent({ type, metadata: {} }, "Ana Pereira", "Tom Li");
      expect(text, type).not.toContain(type);
      expect(text.length, type).toBeGreaterThan(10);
      expect(auditEventLabel(type).length, type).toBeGreaterThan(3);
    }
  });

  it("reads like a person wrote it", () => {
    expect(describeAuditEvent({ type: "2fa.admin_reset", metadata: {} }, "Ana Pereira", "Tom Li")).toBe(
      "Ana Pereira reset Tom Li's two-factor authentication and signed them out everywhere",
    );
    expect(describeAuditEvent({ type: "ownership.transferred", metadata: {} }, "Ana Pereira", "Tom Li")).toBe(
      "Ana Pereira transferred ownership of the organization to Tom Li",
    );
    expect(describeAuditEvent({ type: "ownership.transferred", metadata: null }, null, null)).toBe(
      "Someone transferred ownership of the organization to an unknown account",
    );
  });

  it("describes a type it does not know yet in general words, naming the type", () => {
    expect(isAuditEventType("2fa.exemption_granted_later")).toBe(false);
    expect(isAuditEventType("toString")).toBe(false);
    expect(describeAuditEvent({ type: "2fa.exemption_granted_later", metadata: {} }, "Ana Pereira", "Tom Li")).toBe(
      "Ana Pereira: 2fa exemption granted later (affecting Tom Li)",
    );
    expect(describeAuditEvent({ type: "something.new", metadata: {} }, null, null)).toBe("Someone: something new");
  });
});
