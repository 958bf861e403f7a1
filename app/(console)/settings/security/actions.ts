"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/actions/action-client";
import { ADMIN_ROLES } from "@/lib/auth/guards";
import { saveTwoFactorPolicy } from "@/lib/services/org-policy/change";
import { policySchema } from "@/lib/validation/org-policy";

/** Saves the organization's 2FA requirement (turn on with a mode, change mode/grace/options, turn off). Admins only. */
export const savePolicyAction = defineAction(
  { schema: policySchema, auth: ADMIN_ROLES },
  async (input, { actor, context }) => {
    const result = await saveTwoFactorPolicy(
      { userId: actor.user.id, organizationId: actor.organization.id, sessionId: actor.session.id },
      { ...input, graceDays: input.graceDays ?? null },
      context,
    );
    revalidatePath("/settings/security");
    return result;
  },
);
