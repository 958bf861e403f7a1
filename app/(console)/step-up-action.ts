"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/action-client";
import { stepUp } from "@/lib/services/two-factor/step-up";
import { sendStepUpSmsCode } from "@/lib/services/two-factor/step-up-sms";
import { secondFactorSchema } from "@/lib/validation/two-factor";

/**
 * The acting admin's own second factor (S26, S42): a code from their app, a texted code or a recovery code marks their current
 * session as stepped up for 10 minutes. The console layout hands it to the one step-up form
 * (app/(console)/_components/step-up-form.tsx, through StepUpProvider) shown in every dialog whose action answers
 * STEP_UP_REQUIRED. Any signed-in person may step up: a lower-assurance session (S30: the sign-in skipped its second
 * step) confirms here before security changes of its own, too (app/(console)/profile/step-up).
 */
export const stepUpAction = defineAction(
  { schema: secondFactorSchema, auth: "user" },
  async (input, { actor, context }) => {
    const { remainingRecoveryCodes } = await stepUp({ actor, input, context });
    return { verified: true, remainingRecoveryCodes };
  },
);

/**
 * "Text me a code" (issue 12): a code of purpose "step-up" texted to the person's own phone, for the step-up form and
 * every form that asks for one's current second factor (password change, new recovery codes, ownership transfer).
 * Capped like every text (lib/services/sms/codes.ts: 30 s between texts, daily caps, allowed countries).
 */
export const sendStepUpCodeAction = defineAction(
  { schema: z.object({}), auth: "user" },
  async (_input, { actor, context }) => {
    const sent = await sendStepUpSmsCode({ actor, context });
    return {
      sentTo: sent.sentTo,
      resendAfter: sent.resendAfter.toISOString(),
      expiresAt: sent.expiresAt.toISOString(),
    };
  },
);
