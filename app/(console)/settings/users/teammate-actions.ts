"use server";

import { defineAction } from "@/lib/actions/action-client";
import { ADMINS } from "@/lib/auth/actor";
import { grantTwoFactorExemption, revokeTwoFactorExemption } from "@/lib/services/org-policy/exemptions";
import { sendTwoFactorReminder } from "@/lib/services/org-policy/reminders";
import { unlockTeammate } from "@/lib/services/sign-in/unlock-teammate";
import { issueRecoveryCodesForTeammate } from "@/lib/services/teammates/issue-teammate-recovery-codes";
import { resetTeammateTwoFactor } from "@/lib/services/teammates/reset-teammate-two-factor";
import { signOutTeammateEverywhere } from "@/lib/services/teammates/sign-out-teammate";
import { grantExemptionSchema, teammateTargetSchema } from "@/lib/validation/teammates";

// Row actions of Settings > Users on a teammate's two-factor authentication (administrators). Each is one service
// call: the services check who may act on whom (S25) and, for reset, recovery codes and exemptions, the admin's
// step-up (S26, S42; the step-up itself is app/(console)/step-up-action.ts).
// Nothing returned here carries a secret, a code or a link (S27).

export const resetTwoFactorAction = defineAction(
  { schema: teammateTargetSchema, auth: ADMINS },
  async (input, { actor, context }) => {
    const r = await resetTeammateTwoFactor({ actor, input, context });
    return { sessionsRevoked: r.sessionsRevoked, linkExpiresAt: r.linkExpiresAt.toISOString() };
  },
);

/** Signs a teammate out of every session without touching their 2FA (issue 10 item 3, S23). */
export const signOutEverywhereAction = defineAction(
  { schema: teammateTargetSchema, auth: ADMINS },
  async (input, { actor, context }) => signOutTeammateEverywhere({ actor, input, context }),
);

export const issueRecoveryCodesAction = defineAction(
  { schema: teammateTargetSchema, auth: ADMINS },
  async (input, { actor, context }) => {
    const { issued } = await issueRecoveryCodesForTeammate({ actor, input, context });
    return { issued };
  },
);

export const grantExemptionAction = defineAction(
  { schema: grantExemptionSchema, auth: ADMINS },
  async (input, { actor, context }) => {
    const { until } = await grantTwoFactorExemption({ actor, input, context });
    return { until: until.toISOString() };
  },
);

export const revokeExemptionAction = defineAction(
  { schema: teammateTargetSchema, auth: ADMINS },
  async (input, { actor, context }) => revokeTwoFactorExemption({ actor, input, context }),
);

export const sendReminderAction = defineAction(
  { schema: teammateTargetSchema, auth: ADMINS },
  async (input, { actor, context }) => {
    const r = await sendTwoFactorReminder({ actor, input, context });
    return { sentTo: r.sentTo, nextAllowedAt: r.nextAllowedAt.toISOString() };
  },
);

/** Unlocks a teammate locked out by failed attempts (issue 9 item 3): password and second factor. */
export const unlockTeammateAction = defineAction(
  { schema: teammateTargetSchema, auth: ADMINS },
  async (input, { actor, context }) => unlockTeammate({ actor, input, context }),
);
