import { z } from "zod";
import { opaqueId } from "./text";
import { currentPasswordField, totpCodeField } from "./two-factor";

// Settings > Owner: the transfer form (react-hook-form) and its server action validate with this one schema.

export const transferOwnershipSchema = z.object({
  membershipId: opaqueId(64, "Choose the administrator who will become the owner."),
  password: currentPasswordField,
  code: totpCodeField,
});
export type TransferOwnershipInput = z.input<typeof transferOwnershipSchema>;
