import { z } from "zod";
import { formatCount } from "@/lib/format/count";
import { plainText } from "./text";

// Dashboard (issue 15): the upgrade request form, shared by the form (react-hook-form) and the server action.

export const UPGRADE_PLANS = ["PROFESSIONAL", "ENTERPRISE"] as const;
export const MAX_SEATS = 100_000;

export const upgradeRequestSchema = z.object({
  plan: z.enum(UPGRADE_PLANS, { message: "Choose Professional or Enterprise." }),
  seats: z
    .number({ message: "Enter the number of seats you need." })
    .int("Enter a whole number of seats.")
    .min(1, "Enter at least 1 seat.")
    .max(MAX_SEATS, `For more than ${formatCount(MAX_SEATS)} seats, say so in the message.`),
  message: plainText(1000, "Keep the message under 1,000 characters.", { trim: true }),
});
export type UpgradeRequestInput = z.input<typeof upgradeRequestSchema>;

/** The dashboard's history range, read from the URL (?range=required); anything else is the last 90 days. */
export function parseHistoryRange(v: unknown): "90d" | "required" {
  return (Array.isArray(v) ? v[0] : v) === "required" ? "required" : "90d";
}
