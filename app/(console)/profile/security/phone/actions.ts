"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/action-client";
import {
  confirmNewNumber,
  confirmOldNumber,
  resendPhoneChangeNewCode,
  sendPhoneChangeOldCode,
} from "@/lib/services/two-factor/phone-change";
import type { PhoneCodeInfo } from "@/lib/services/two-factor/phone-common";
import { removePhone, sendPhoneDisableCode } from "@/lib/services/two-factor/phone-disable";
import { confirmPhoneEnrolment, sendPhoneEnrolmentCode } from "@/lib/services/two-factor/phone-enrol";
import {
  confirmNewNumberSchema,
  confirmOldNumberSchema,
  confirmPhoneSchema,
  phoneNumberSchema,
  removePhoneSchema,
} from "@/lib/validation/phone";

// Profile › Security › Phone (issue 12): thin actions over lib/services/two-factor/phone-*.ts. Adding a phone is open
// during a forced setup ("setup"), like the app's setup; changing and removing it need a full session ("user").

const empty = z.object({});
const sent = (r: PhoneCodeInfo) => ({
  sentTo: r.sentTo,
  resendAfter: r.resendAfter.toISOString(),
  expiresAt: r.expiresAt.toISOString(),
});

export const sendEnrolCodeAction = defineAction(
  { schema: phoneNumberSchema, auth: "setup" },
  async (input, { actor, context }) => sent(await sendPhoneEnrolmentCode({ actor, input, context })),
);

export const confirmEnrolAction = defineAction(
  { schema: confirmPhoneSchema, auth: "setup" },
  async (input, { actor, context }) => confirmPhoneEnrolment({ actor, input, context }),
);

export const sendChangeOldCodeAction = defineAction(
  { schema: empty, auth: "user" },
  async (_input, { actor, context }) => sent(await sendPhoneChangeOldCode({ actor, context })),
);

export const confirmOldNumberAction = defineAction(
  { schema: confirmOldNumberSchema, auth: "user" },
  async (input, { actor, context }) => sent(await confirmOldNumber({ actor, input, context })),
);

export const resendNewNumberCodeAction = defineAction(
  { schema: empty, auth: "user" },
  async (_input, { actor, context }) => sent(await resendPhoneChangeNewCode({ actor, context })),
);

export const confirmNewNumberAction = defineAction(
  { schema: confirmNewNumberSchema, auth: "user" },
  async (input, { actor, context }) => confirmNewNumber({ actor, input, context }),
);

export const sendDisableCodeAction = defineAction({ schema: empty, auth: "user" }, async (_input, { actor, context }) =>
  sent(await sendPhoneDisableCode({ actor, context })),
);

export const removePhoneAction = defineAction(
  { schema: removePhoneSchema, auth: "user" },
  async (input, { actor, context }) => removePhone({ actor, input, context }),
);
