"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/actions/action-client";
import { ADMINS } from "@/lib/auth/actor";
import {
  addTrustedNetwork,
  removeTrustedNetwork,
  setTrustedNetworkScope,
} from "@/lib/services/trusted-access/trusted-networks";
import {
  addTrustedNetworkSchema,
  removeTrustedNetworkSchema,
  trustedNetworkScopeSchema,
} from "@/lib/validation/trusted-networks";

// Settings > Organization security > Trusted networks (issue 11 item 1). Owners and administrators; adding, removing
// and widening the scope need a recent step-up (S42), answered with STEP_UP_REQUIRED and the one step-up form.

export const addTrustedNetworkAction = defineAction(
  { schema: addTrustedNetworkSchema, auth: ADMINS },
  async (input, { actor, context }) => {
    const result = await addTrustedNetwork({ actor, input, context });
    revalidatePath("/settings/security");
    return result;
  },
);

export const removeTrustedNetworkAction = defineAction(
  { schema: removeTrustedNetworkSchema, auth: ADMINS },
  async (input, { actor, context }) => {
    const result = await removeTrustedNetwork({ actor, input, context });
    revalidatePath("/settings/security");
    return result;
  },
);

export const setTrustedNetworkScopeAction = defineAction(
  { schema: trustedNetworkScopeSchema, auth: ADMINS },
  async (input, { actor, context }) => {
    const result = await setTrustedNetworkScope({ actor, input, context });
    revalidatePath("/settings/security");
    return result;
  },
);
