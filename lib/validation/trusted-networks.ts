import { z } from "zod";
import { parseAllowlistEntry } from "../net/cidr";
import { opaqueId, plainText } from "./text";

// Settings > Organization security > Trusted networks: shared by the form (react-hook-form, inline errors) and the
// server actions. The service checks the same rules again, plus duplicates and overlaps with the saved entries.

export const LABEL_MAX = 60;

/** A label as a person gives it: 1–60 characters after trimming (inner runs of spaces made one), no control
 *  characters; or why not. */
export function checkLabel(raw: string): { ok: true; label: string } | { ok: false; error: string } {
  const label = raw.trim().replace(/\s+/g, " ");
  if (label.length === 0) return { ok: false, error: "Give the network a name, such as “Berlin office”." };
  if (label.length > LABEL_MAX) return { ok: false, error: `Keep the name to ${LABEL_MAX} characters.` };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(raw)) return { ok: false, error: "The name contains characters we cannot show." };
  return { ok: true, label };
}

export const addTrustedNetworkSchema = z.object({
  cidr: plainText(200, "That is too long for an IP address or range.").superRefine((value, ctx) => {
    const entry = parseAllowlistEntry(value);
    if (!entry.ok) ctx.addIssue({ code: "custom", message: entry.error });
  }),
  label: plainText(200, `Keep the name to ${LABEL_MAX} characters.`).superRefine((value, ctx) => {
    const label = checkLabel(value);
    if (!label.ok) ctx.addIssue({ code: "custom", message: label.error });
  }),
});
export type AddTrustedNetworkInput = z.input<typeof addTrustedNetworkSchema>;

export const removeTrustedNetworkSchema = z.object({ id: opaqueId(64, "Choose a network.") });

export const trustedNetworkScopes = ["EVERYONE", "MEMBERS_ONLY"] as const;
export const trustedNetworkScopeSchema = z.object({
  scope: z.enum(trustedNetworkScopes, { message: "Choose whom trusted networks apply to." }),
});
