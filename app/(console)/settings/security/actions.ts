"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/actions/action-client";
import { ADMINS } from "@/lib/auth/actor";
import { saveTwoFactorPolicy } from "@/lib/services/org-policy/change";
import { setRecoveryCodeAlert } from "@/lib/services/org-policy/recovery-code-alert-setting";
import { setSmsCountries } from "@/lib/services/sms/organization-sms";
import { policySchema, recoveryCodeAlertSchema, smsCountriesSchema } from "@/lib/validation/org-policy";

/** Saves the organization's 2FA requirement (turn on with a mode, change mode/grace/options, turn off). Admins only. */
export const savePolicyAction = defineAction(
  { schema: policySchema, auth: ADMINS },
  async (input, { actor, context }) => {
    const result = await saveTwoFactorPolicy({
      actor,
      input: { ...input, graceDays: input.graceDays ?? null },
      context,
    });
    revalidatePath("/settings/security");
    return result;
  },
);

/** Turns the administrators' recovery-code alert on or off (B4). Turning it off needs a recent step-up (S42). */
export const setRecoveryCodeAlertAction = defineAction(
  { schema: recoveryCodeAlertSchema, auth: ADMINS },
  async (input, { actor, context }) => {
    const result = await setRecoveryCodeAlert({ actor, input, context });
    revalidatePath("/settings/security");
    return result;
  },
);

/** Sets the countries texts may go to (issue 12: caps against SMS pumping). The owner only; audited. */
export const setSmsCountriesAction = defineAction(
  { schema: smsCountriesSchema, auth: ["OWNER"] as const },
  async (input, { actor, context }) => {
    const result = await setSmsCountries({ actor, input, context });
    revalidatePath("/settings/security");
    return result;
  },
);
