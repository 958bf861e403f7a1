"use server";

import { defineAction } from "@/lib/actions/action-client";
import { ADMIN_ROLES } from "@/lib/auth/guards";
import { requestUpgrade } from "@/lib/services/dashboard/upgrade-request";
import { upgradeRequestSchema } from "@/lib/validation/dashboard";

// Dashboard (issue 15): the Free plan's "Request an upgrade" form. One service call; the service checks the role,
// the once-a-day limit and writes the request, its audit row and both mails in one transaction.

export const requestUpgradeAction = defineAction(
  { schema: upgradeRequestSchema, auth: ADMIN_ROLES },
  async (input, { actor, context }) => {
    const r = await requestUpgrade({
      actor: { userId: actor.user.id, organizationId: actor.organization.id },
      input,
      context,
    });
    return { requestedAt: r.requestedAt.toISOString(), plan: r.plan };
  },
);
