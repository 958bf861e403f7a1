import { z } from "zod";

// Settings > Organization security: shared by the form (react-hook-form) and the server action. The service checks
// the same rules again (lib/services/org-policy-change.ts).

export const GRACE_DAYS_MIN = 1;
export const GRACE_DAYS_MAX = 30;

export const enforcementModes = ["NOW", "NEXT_SIGN_IN", "GRACE"] as const;
export const secondFactorMethods = ["TOTP", "SMS"] as const;

export const policySchema = z
  .object({
    requireTwoFactor: z.boolean(),
    mode: z.enum(enforcementModes, { message: "Choose what happens to members without 2FA." }),
    // A number, or the digits of one (a form field; blank = none); nothing else is coerced (true, [], "1e1" are refused).
    graceDays: z.preprocess(
      (v) => (typeof v !== "string" ? v : v.trim() === "" ? null : /^\d{1,3}$/.test(v.trim()) ? Number(v) : v),
      z
        .number({ message: `Enter a number of days from ${GRACE_DAYS_MIN} to ${GRACE_DAYS_MAX}.` })
        .int(`Enter a whole number of days from ${GRACE_DAYS_MIN} to ${GRACE_DAYS_MAX}.`)
        .optional()
        .nullable(),
    ),
    exemptSso: z.boolean(),
    allowedMethods: z
      .array(z.enum(secondFactorMethods), { message: "Choose the methods to allow." })
      .min(1, "Allow at least one method.")
      .max(secondFactorMethods.length, "Choose each method at most once."),
    expectedVersion: z.number().int().min(0),
    /** B6: the owner confirms being the only owner/administrator with 2FA ("now" or a deadline). */
    confirmSoleAdmin: z.boolean().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.mode !== "GRACE") return;
    if (v.graceDays == null || v.graceDays < GRACE_DAYS_MIN || v.graceDays > GRACE_DAYS_MAX)
      ctx.addIssue({
        code: "custom",
        path: ["graceDays"],
        message: `Choose a grace period of ${GRACE_DAYS_MIN} to ${GRACE_DAYS_MAX} days.`,
      });
  });

export type PolicyFormInput = z.input<typeof policySchema>;

/** B4: the organization's "alert administrators when a member uses a recovery code" switch. */
export const recoveryCodeAlertSchema = z.object({ enabled: z.boolean() });

/** Organization security › Text messages: the countries texts may go to (ISO 3166 alpha-2; the service checks them). */
export const smsCountriesSchema = z.object({
  countries: z
    .array(z.string().regex(/^[A-Za-z]{2}$/, "Choose countries from the list."))
    .max(60, "Choose at most 60 countries."),
});
