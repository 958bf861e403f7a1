import { z } from "zod";
import { opaqueId } from "./text";
import { currentPasswordField, recoveryCodeField, smsCodeField, totpCodeField } from "./two-factor";

// Settings > Owner: the transfer form (react-hook-form) and its server action validate with this one schema.

// The owner's own second factor: a code from the app, a texted code (an owner whose only factor is a phone), or a
// recovery code. Without `method`, an app code (the form before issue 12 sent none).
const base = {
  membershipId: opaqueId(64, "Choose the administrator who will become the owner."),
  password: currentPasswordField,
};
export const transferOwnershipSchema = z.discriminatedUnion("method", [
  z.object({ ...base, method: z.literal("totp").optional(), code: totpCodeField }),
  z.object({ ...base, method: z.literal("sms"), code: smsCodeField }),
  z.object({ ...base, method: z.literal("recovery"), code: recoveryCodeField }),
]);
export type TransferOwnershipInput = z.input<typeof transferOwnershipSchema>;
