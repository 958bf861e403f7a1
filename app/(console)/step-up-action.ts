"use server";

import { defineAction } from "@/lib/actions/action-client";
import { ADMINS } from "@/lib/auth/actor";
import { stepUp } from "@/lib/services/two-factor/step-up";
import { secondFactorSchema } from "@/lib/validation/two-factor";

/**
 * The acting admin's own second factor (S26, S42): a code from their app or a recovery code marks their current
 * session as stepped up for 10 minutes. The console layout hands it to the one step-up form
 * (app/(console)/_components/step-up-form.tsx, through StepUpProvider) shown in every dialog whose action answers
 * STEP_UP_REQUIRED.
 */
export const stepUpAction = defineAction(
  { schema: secondFactorSchema, auth: ADMINS },
  async (input, { actor, context }) => {
    const { remainingRecoveryCodes } = await stepUp({ actor, input, context });
    return { verified: true, remainingRecoveryCodes };
  },
);
