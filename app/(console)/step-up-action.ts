"use server";

import { defineAction } from "@/lib/actions/action-client";
import { ADMIN_ROLES } from "@/lib/auth/guards";
import { stepUp } from "@/lib/services/step-up";
import { secondFactorSchema } from "@/lib/validation/two-factor";

/**
 * The acting admin's own second factor (S26, S42): a code from their app or a recovery code marks their current
 * session as stepped up for 10 minutes. The console layout hands it to the one step-up form
 * (app/(console)/_components/step-up-form.tsx, through StepUpProvider) shown in every dialog whose action answers
 * STEP_UP_REQUIRED.
 */
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
