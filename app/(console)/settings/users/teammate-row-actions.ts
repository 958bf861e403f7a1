import type { TeammateRowActions } from "./_components/teammate-action-forms";
import {
  grantExemptionAction,
  issueRecoveryCodesAction,
  resetTwoFactorAction,
  revokeExemptionAction,
  sendReminderAction,
  signOutEverywhereAction,
  unlockTeammateAction,
} from "./teammate-actions";

/** The row actions' server actions, handed once to the one row-actions menu (the Users table, the dashboard's
 *  at-risk lists). */
export const teammateRowActions: TeammateRowActions = {
  reset: resetTwoFactorAction,
  issueCodes: issueRecoveryCodesAction,
  remind: sendReminderAction,
  grantExemption: grantExemptionAction,
  revokeExemption: revokeExemptionAction,
  unlock: unlockTeammateAction,
  signOutEverywhere: signOutEverywhereAction,
};
