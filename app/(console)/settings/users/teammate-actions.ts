"use server";

import { defineAction } from "@/lib/actions/action-client";
import { ADMIN_ROLES, type OrgContext } from "@/lib/auth/guards";
import { unlockTeammate } from "@/lib/services/account-unlock";
import { issueRecoveryCodesForTeammate, resetTeammateTwoFactor, stepUp } from "@/lib/services/admin-two-factor";
import { grantTwoFactorExemption, revokeTwoFactorExemption } from "@/lib/services/exemptions";
import { sendTwoFactorReminder } from "@/lib/services/two-factor-reminders";
import { grantExemptionSchema, teammateTargetSchema } from "@/lib/validation/teammates";
import { secondFactorSchema } from "@/lib/validation/two-factor";

// Row actions of Settings > Users on a teammate's two-factor authentication (administrators). Each is one service
// call: the services check who may act on whom (S25) and, for reset and recovery codes, the admin's step-up (S26).
// Nothing returned here carries a secret, a code or a link (S27).

const actorOf = (a: OrgContext) => ({ userId: a.user.id, organizationId: a.organization.id });
const adminOf = (a: OrgContext) => ({ ...actorOf(a), sessionId: a.session.id });

/** The admin's own second factor, for the step-up that reset and recovery-code issuance ask for (S26). */
export const stepUpAction = defineAction(
  { schema: secondFactorSchema, auth: ADMIN_ROLES },
  async (input, { actor, context }) => {
    const { remainingRecoveryCodes } = await stepUp(
      { userId: actor.user.id, sessionId: actor.session.id },
      input,
      context,
    );
    return { verified: true, remainingRecoveryCodes };
  },
);

export const resetTwoFactorAction = defineAction(
  { schema: teammateTargetSchema, auth: ADMIN_ROLES },
  async (input, { actor, context }) => {
    const r = await resetTeammateTwoFactor(adminOf(actor), input, context);
    return { sessionsRevoked: r.sessionsRevoked, linkExpiresAt: r.linkExpiresAt.toISOString() };
  },
);

export const issueRecoveryCodesAction = defineAction(
  { schema: teammateTargetSchema, auth: ADMIN_ROLES },
  async (input, { actor, context }) => {
    const { issued } = await issueRecoveryCodesForTeammate(adminOf(actor), input, context);
    return { issued };
  },
);

export const grantExemptionAction = defineAction(
  { schema: grantExemptionSchema, auth: ADMIN_ROLES },
  async (input, { actor, context }) => {
    const { until } = await grantTwoFactorExemption(actorOf(actor), input, context);
    return { until: until.toISOString() };
  },
);

export const revokeExemptionAction = defineAction(
  { schema: teammateTargetSchema, auth: ADMIN_ROLES },
  async (input, { actor, context }) => revokeTwoFactorExemption(actorOf(actor), input, context),
);

export const sendReminderAction = defineAction(
  { schema: teammateTargetSchema, auth: ADMIN_ROLES },
  async (input, { actor, context }) => {
    const r = await sendTwoFactorReminder(actorOf(actor), input, context);
    return { sentTo: r.sentTo, nextAllowedAt: r.nextAllowedAt.toISOString() };
  },
);

/** Unlocks a teammate locked out by failed attempts (issue 9 item 3): password and second factor. */
export const unlockTeammateAction = defineAction(
  { schema: teammateTargetSchema, auth: ADMIN_ROLES },
  async (input, { actor, context }) => unlockTeammate(adminOf(actor), input, context),
);
