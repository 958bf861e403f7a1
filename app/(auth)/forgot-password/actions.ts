"use server";

import { defineAction } from "@/lib/actions/action-client";
import { requestPasswordReset } from "@/lib/services/accounts/request-password-reset";
import { resetPassword } from "@/lib/services/accounts/reset-password";
import { forgotPasswordSchema, resetPasswordSchema } from "@/lib/validation/auth";

/** Public: mails a single-use link when the account exists; the same answer either way (issue 10 item 2). */
export const requestPasswordResetAction = defineAction(
  { schema: forgotPasswordSchema, auth: "public" },
  async (input, { context }) => requestPasswordReset({ input, context }),
);

/** Public: the emailed single-use link sets a new password and signs out every session. It signs nobody in (S18):
 *  the person then signs in, with the code when 2FA is on. */
export const resetPasswordAction = defineAction(
  { schema: resetPasswordSchema, auth: "public" },
  async (input, { context }) => {
    await resetPassword({ input, context });
    return { reset: true };
  },
);
