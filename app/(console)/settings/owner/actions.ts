"use server";

import { defineAction } from "@/lib/actions/action-client";
import { transferOwnership } from "@/lib/services/teammates/transfer-ownership";
import { transferOwnershipSchema } from "@/lib/validation/ownership";

// Any member may call it (the guard); the service refuses everyone but the owner with a clear message.
export const transferOwnershipAction = defineAction(
  { schema: transferOwnershipSchema, auth: "member", securityChange: true },
  async (input, { actor, context }) => {
    const { newOwner } = await transferOwnership({ actor, input, context });
    return { newOwnerName: newOwner.name };
  },
);
