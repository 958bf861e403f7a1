import { describe, expect, it } from "vitest";
import { auditEventLabel } from "./audit-labels";
import { describeAuditEvent } from "./audit-text";

// Issue 11 item 5: the audit log and its CSV export (both read describeAuditEvent and the labels) tell the trusted
// access events in words.
describe("trusted access events in words", () => {
  const say = (type: string, metadata: Record<string, unknown>) =>
    describeAuditEvent({ type, metadata }, "Ana Pereira", null);

  it.each([
    [
      "trusted_network.added",
      { cidr: "203.0.113.0/24", label: "Berlin office" },
      "Ana Pereira added the trusted network Berlin office (203.0.113.0/24): sign-ins from it skip the second step",
      "Trusted network added",
    ],
    [
      "trusted_network.removed",
      { cidr: "203.0.113.0/24", label: "Berlin office" },
      "Ana Pereira removed the trusted network Berlin office (203.0.113.0/24)",
      "Trusted network removed",
    ],
    [
      "trusted_network.scope_changed",
      { scope: "MEMBERS_ONLY" },
      "Ana Pereira limited trusted networks to members: owners and administrators always enter a code",
      "Trusted networks: who they apply to changed",
    ],
    [
      "trusted_network.scope_changed",
      { scope: "EVERYONE" },
      "Ana Pereira let trusted networks apply to everyone, owners and administrators included",
      "Trusted networks: who they apply to changed",
    ],
    [
      "signin.second_step_skipped",
      { reason: "trusted-network", label: "Berlin office" },
      "Ana Pereira signed in without a code: from the trusted network Berlin office (a code is asked before security or admin changes)",
      "Signed in without a code (second step skipped)",
    ],
    [
      "signin.second_step_skipped",
      { reason: "remembered-device", label: null },
      "Ana Pereira signed in without a code: from a remembered device (a code is asked before security or admin changes)",
      "Signed in without a code (second step skipped)",
    ],
  ])("%s %j", (type, metadata, sentence, label) => {
    expect(say(type, metadata)).toBe(sentence);
    expect(auditEventLabel(type)).toBe(label);
  });
});
