import { z } from "zod";
import { PASSWORD_MAX, passwordField } from "./auth";
import { opaqueId, passwordText, plainText } from "./text";

// Shared by the forms (react-hook-form) and the server actions. People type codes with spaces; recovery codes
// with or without dashes, in any case: both are accepted and normalised by the services.

export const totpCodeField = plainText(64, "Enter the 6-digit code from your authenticator app.")
  .transform((v) => v.replace(/\s+/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app."));

export const recoveryCodeField = plainText(64, "Enter a recovery code like 7hq2k-9xv3m-c4pwd-r8tne.")
  .transform((v) => v.replace(/[\s\-\u2010-\u2015]+/g, "").toLowerCase())
  .pipe(
    // The shape only (20 letters and digits); the service maps look-alikes (o→0, i/l→1) and checks the alphabet.
    z.string().regex(/^[0-9a-z]{20}$/, "Enter a recovery code like 7hq2k-9xv3m-c4pwd-r8tne (20 letters and digits)."),
  );

export const currentPasswordField = passwordField("Enter your current password.");

export const smsCodeField = plainText(64, "Enter the 6-digit code from the text message.")
  .transform((v) => v.replace(/[\s-]+/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code from the text message."));

export const secondFactorSchema = z.discriminatedUnion("method", [
  z.object({ method: z.literal("totp"), code: totpCodeField }),
  z.object({ method: z.literal("recovery"), code: recoveryCodeField }),
  z.object({ method: z.literal("sms"), code: smsCodeField }),
]);
export type SecondFactorFormInput = z.input<typeof secondFactorSchema>;

/** The sign-in's second step: the code, and "remember this device" (issue 11; offered only when allowed). */
export const signInSecondStepSchema = secondFactorSchema.and(z.object({ rememberDevice: z.boolean().optional() }));

export const emailCodeField = plainText(64, "Enter the 6-digit code from the email we sent you.")
  .transform((v) => v.replace(/\s+/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code from the email we sent you."));

/**
 * Confirming an enrollment: the app code, plus the current password (accounts that have one) and the emailed code
 * (forced enrollment, issue 4 §5). The server decides which are needed; the form builds the same rules from
 * `confirmEnrollmentFormSchema` with what the page told it.
 */
export const confirmEnrollmentSchema = z.object({
  password: passwordText(PASSWORD_MAX, "That password is too long."),
  code: totpCodeField,
  emailCode: plainText(20, "Enter the 6-digit code from the email we sent you.").optional(),
  /** Moving to a new app (S39): a code from the current app, or a recovery code. */
  currentMethod: z.enum(["totp", "recovery"]).optional(),
  currentCode: plainText(64, "That code is too long.").optional(),
});

const currentCodeMessage = {
  totp: "Enter the 6-digit code from your current authenticator app.",
  recovery: "Enter one of your recovery codes, like 7hq2k-9xv3m-c4pwd-r8tne.",
} as const;

export function confirmEnrollmentFormSchema(needs: { password: boolean; emailCode: boolean; currentFactor?: boolean }) {
  return z
    .object({
      password: needs.password ? currentPasswordField : passwordText(PASSWORD_MAX, "That password is too long."),
      code: totpCodeField,
      emailCode: needs.emailCode ? emailCodeField : plainText(20).optional(),
      currentMethod: z.enum(["totp", "recovery"]).optional(),
      currentCode: plainText(64, "That code is too long.").optional(),
    })
    .superRefine((v, ctx) => {
      if (needs.currentFactor && !v.currentCode?.trim())
        ctx.addIssue({ code: "custom", path: ["currentCode"], message: currentCodeMessage[v.currentMethod ?? "totp"] });
    });
}

/** New recovery codes: the password and the current factor — a code from the app, a texted code (a person whose only
 *  factor is a phone), or (the phone may be lost, e.g. right after signing in with one) a recovery code. */
export const regenerateCodesSchema = z.discriminatedUnion("method", [
  z.object({ password: currentPasswordField, method: z.literal("totp"), code: totpCodeField }),
  z.object({ password: currentPasswordField, method: z.literal("sms"), code: smsCodeField }),
  z.object({ password: currentPasswordField, method: z.literal("recovery"), code: recoveryCodeField }),
]);

/** Turning 2FA off (S39): the password (accounts that have one) and a code from the app or a recovery code. */
export const disableTwoFactorSchema = z.discriminatedUnion("method", [
  z.object({
    password: passwordText(PASSWORD_MAX, "That password is too long."),
    method: z.literal("totp"),
    code: totpCodeField,
  }),
  z.object({
    password: passwordText(PASSWORD_MAX, "That password is too long."),
    method: z.literal("recovery"),
    code: recoveryCodeField,
  }),
]);

/** The mailed re-enrollment link after an administrator's reset: the token from the URL and the account password. */
export const reEnrollSchema = z.object({
  token: opaqueId(200, "This link is not valid. Ask an administrator for a new one."),
  password: passwordField("Enter your password."),
});
