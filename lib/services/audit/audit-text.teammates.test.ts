import { describe, expect, it } from "vitest";
import { describeAuditEvent } from "./audit-text";

// Sentences of the teammate 2FA events (issue 5): recovery-code sign-ins, exemptions, reminders.
describe("teammate 2FA audit sentences", () => {
  it("a sign-in with a recovery code says so, with the codes left", () => {
    expect(
      describeAuditEvent(
        { type: "2fa.recovery_code_used", metadata: { purpose: "sign-in", remaining: 9 } },
        "Tom Li",
        "Tom Li",
      ),
    ).toBe("Tom Li signed in with a recovery code (9 left)");
    expect(
      describeAuditEvent(
        { type: "2fa.recovery_code_used", metadata: { purpose: "step-up", remaining: 4 } },
        "Ana",
        "Ana",
      ),
    ).toBe("Ana used a recovery code (4 left)");
  });

  it("exemptions and reminders", () => {
    expect(
      describeAuditEvent(
        { type: "2fa.exemption_granted", metadata: { days: 7, reason: "new phone" } },
        "Ana Pereira",
        "Tom Li",
      ),
    ).toBe("Ana Pereira exempted Tom Li from two-factor authentication for 7 days (reason: new phone)");
    expect(describeAuditEvent({ type: "2fa.exemption_revoked", metadata: {} }, "Ana Pereira", "Tom Li")).toBe(
      "Ana Pereira removed Tom Li's exemption from two-factor authentication",
    );
    expect(describeAuditEvent({ type: "2fa.reminder_sent", metadata: {} }, "Ana Pereira", "Tom Li")).toBe(
      "Ana Pereira reminded Tom Li to set up two-factor authentication",
    );
    expect(describeAuditEvent({ type: "2fa.reset_link_used", metadata: {} }, "Tom Li", "Tom Li")).toBe(
      "Tom Li used the emailed reset link to set up two-factor authentication again",
    );
  });
});
