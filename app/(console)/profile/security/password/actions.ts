"use server";

import { defineAction } from "@/lib/actions/action-client";
import { changePassword } from "@/lib/services/accounts/change-password";
import { changePasswordSchema } from "@/lib/validation/auth";

/** Changing one's own password (issue 10 item 1): the current password, and a code when 2FA is on. The other
 *  sessions are signed out (S21); this one stays. */
export const changePasswordAction = defineAction(
  { schema: changePasswordSchema, auth: "user", securityChange: true },
  async (input, { actor, context }) => changePassword({ actor, input, context }),
);
