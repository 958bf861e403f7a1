"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/action-client";
import { confirmTotpEnrollment } from "@/lib/services/two-factor/confirm-enrollment";
import { disableTwoFactor } from "@/lib/services/two-factor/disable";
import { sendEnrollmentEmailCode } from "@/lib/services/two-factor/email-codes";
import { cancelTotpEnrollment, startTotpEnrollment } from "@/lib/services/two-factor/enrollment";
import { regenerateRecoveryCodes } from "@/lib/services/two-factor/recovery";
import { dismissTwoFactorSuggestion } from "@/lib/services/two-factor/status";
import { confirmEnrollmentSchema, disableTwoFactorSchema, regenerateCodesSchema } from "@/lib/validation/two-factor";

const empty = z.object({});

// The setup flow ("setup") stays reachable for a member whom an organization requires to set up 2FA (S24).
export const startEnrollmentAction = defineAction(
  { schema: empty, auth: "setup", securityChange: true },
  async (_input, { actor, context }) => {
    const { expiresAt } = await startTotpEnrollment({ actor, context });
    return { expiresAt: expiresAt.toISOString() };
  },
);

export const cancelEnrollmentAction = defineAction({ schema: empty, auth: "setup" }, async (_input, { actor }) => {
  await cancelTotpEnrollment({ actor });
  return { cancelled: true };
});

export const confirmEnrollmentAction = defineAction(
  { schema: confirmEnrollmentSchema, auth: "setup", securityChange: true },
  async (input, { actor, context }) => {
    const { currentMethod, currentCode, ...rest } = input;
    const current = currentCode ? { method: currentMethod ?? "totp", code: currentCode } : null;
    return confirmTotpEnrollment({ actor, input: { ...rest, current }, context });
  },
);

/** Mails the one-time code that a forced enrollment needs (issue 4 §5). */
export const sendEmailCodeAction = defineAction(
  { schema: empty, auth: "setup" },
  async (_input, { actor, context }) => {
    const { sentTo, expiresAt } = await sendEnrollmentEmailCode({ actor, context });
    return { sentTo, expiresAt: expiresAt.toISOString() };
  },
);

export const regenerateCodesAction = defineAction(
  { schema: regenerateCodesSchema, auth: "user", securityChange: true },
  async (input, { actor, context }) => {
    return regenerateRecoveryCodes({
      actor,
      input: { password: input.password, method: input.method, code: input.code },
      context,
    });
  },
);

export const disableTwoFactorAction = defineAction(
  { schema: disableTwoFactorSchema, auth: "user", securityChange: true },
  async (input, { actor, context }) => {
    await disableTwoFactor({ actor, input, context });
    return { disabled: true };
  },
);

export const dismissSuggestionAction = defineAction(
  { schema: empty, auth: "user" },
  async (_input, { actor, context }) => {
    await dismissTwoFactorSuggestion({ actor, context });
    return { dismissed: true };
  },
);
