"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/action-client";
import { forgetAllMyRememberedDevices, forgetMyRememberedDevice } from "@/lib/services/trusted-access/my-devices";
import { opaqueId } from "@/lib/validation/text";

// Profile > Security: forget one remembered device, or all of them (issue 11 item 2). The person's own devices only.

export const forgetDeviceAction = defineAction(
  { schema: z.object({ deviceId: opaqueId(64, "Choose a device.") }), auth: "user" },
  async (input, { actor, context }) => {
    await forgetMyRememberedDevice({ actor, input, context });
    return { forgotten: 1 };
  },
);

export const forgetAllDevicesAction = defineAction(
  { schema: z.object({}), auth: "user" },
  async (_input, { actor, context }) => {
    const { count } = await forgetAllMyRememberedDevices({ actor, context });
    return { forgotten: count };
  },
);
