"use server";

import { defineAction } from "@/lib/actions/action-client";
import { ADMINS } from "@/lib/auth/actor";
import { requestUpgrade } from "@/lib/services/dashboard/upgrade-request";
import { upgradeRequestSchema } from "@/lib/validation/dashboard";

// Dashboard (issue 15): the Free plan's "Request an upgrade" form. One service call; the service checks the role,
// the once-a-day limit and writes the request, its audit row and both mails in one transaction.

export const requestUpgradeAction = defineAction(
  { schema: upgradeRequestSchema, auth: ADMINS },
  async (input, { actor, context }) => {
    const r = await requestUpgrade({ actor, input, context });
    return { requestedAt: r.requestedAt.toISOString(), plan: r.plan };
  },
);
