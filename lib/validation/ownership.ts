import { z } from "zod";
import { currentPasswordField, totpCodeField } from "./two-factor";

// Settings > Owner: the transfer form (react-hook-form) and its server action validate with this one schema.

export const transferOwnershipSchema = z.object({
  membershipId: z.string().min(1, "Choose the administrator who will become the owner.").max(64),
  password: currentPasswordField,
  code: totpCodeField,
});
export type TransferOwnershipInput = z.input<typeof transferOwnershipSchema>;
