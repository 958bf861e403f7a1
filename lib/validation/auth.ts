import { z } from "zod";
import { opaqueId, passwordText, plainText } from "./text";

// Shared by react-hook-form (client) and server actions (server): one schema per form.

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

export const emailField = plainText(254, "That email address is too long.", { trim: true })
  .min(1, "Enter your email address.")
  .pipe(z.email("Enter a valid email address, like name@example.com."))
  .transform((e) => e.toLowerCase());

export const newPasswordField = passwordText(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`)
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
  .refine((p) => new Set(p).size >= 4, "This password is too easy to guess. Use a longer, more varied one.");

export const nameField = plainText(100, undefined, { trim: true }).min(1, "Enter your name.");

/** The password of an existing account (sign-in, confirmations): anything storable, at most PASSWORD_MAX. */
export const passwordField = (empty: string, tooLong = "That password is too long.") =>
  passwordText(PASSWORD_MAX, tooLong).min(1, empty);

export const signInSchema = z.object({
  email: emailField,
  password: passwordField("Enter your password."),
});
export type SignInInput = z.input<typeof signInSchema>;

export const signUpSchema = z
  .object({
    name: nameField,
    email: emailField,
    password: newPasswordField,
    organizationName: plainText(80, undefined, { trim: true }).min(2, "Enter your organization's name."),
  })
  .refine((v) => v.password.toLowerCase() !== v.email, {
    path: ["password"],
    message: "Your password must not be your email address.",
  });
export type SignUpInput = z.input<typeof signUpSchema>;

export const acceptInvitationSchema = z.object({
  token: opaqueId(200, "This invitation link is not valid. Ask for a new invitation."),
  name: nameField.optional(),
  password: passwordField("Enter a password.", `Use at most ${PASSWORD_MAX} characters.`),
});
export type AcceptInvitationInput = z.input<typeof acceptInvitationSchema>;

// Passwords (issue 10 items 1 and 2): the new password of a change or a reset follows the sign-up rules
// (newPasswordField) and must not be built from the person's own email address or name.

/** Letters and digits only, lower case: "Ann-Marie O'Neil" → "annmarieoneil". */
const squash = (text: string) =>
  text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "");

/** Why `password` is too close to the person's email or name (a sentence for the field), or null. */
export function personalPasswordProblem(password: string, person: { email: string; name: string }): string | null {
  const pw = squash(password);
  const email = person.email.trim().toLowerCase();
  const local = squash(email.split("@")[0] ?? "");
  if (password.trim().toLowerCase() === email || (local.length >= 4 && pw.includes(local)))
    return "Your password must not contain your email address.";
  const name = squash(person.name);
  const parts = person.name.split(/\s+/).map(squash);
  if (
    (name.length >= 4 && pw.includes(name)) ||
    (parts.length > 1 && parts.every((p) => p.length >= 3 && pw.includes(p)))
  )
    return "Your password must not contain your name.";
  return null;
}

const secondFactorMethod = z.enum(["totp", "sms", "recovery"]);

/** Changing one's password (Profile > Security): the current password, the new one, and — when 2FA is on — an app
 *  code, a texted code or a recovery code (the service decides whether it is needed and checks the code's form). */
export const changePasswordSchema = z.object({
  currentPassword: passwordField("Enter your current password."),
  newPassword: newPasswordField,
  method: secondFactorMethod.optional(),
  code: plainText(64, "That code is too long.").optional(),
});
export type ChangePasswordInput = z.input<typeof changePasswordSchema>;

/** The form's rules: the server's, plus the person's own email and name, and the code when 2FA is on. Every field's
 *  error at once. */
export function changePasswordFormSchema(person: { email: string; name: string; twoFactor: boolean }) {
  return changePasswordSchema.superRefine((v, ctx) => {
    const personal = personalPasswordProblem(v.newPassword, person);
    if (personal) ctx.addIssue({ code: "custom", path: ["newPassword"], message: personal });
    if (person.twoFactor && !v.code?.trim())
      ctx.addIssue({
        code: "custom",
        path: ["code"],
        message:
          v.method === "recovery"
            ? "Enter one of your recovery codes, like 7hq2k-9xv3m-c4pwd-r8tne."
            : v.method === "sms"
              ? "Enter the 6-digit code from the text message."
              : "Enter the 6-digit code from your authenticator app.",
      });
  });
}

/** "Forgot password?": the email address to send a link to. */
export const forgotPasswordSchema = z.object({ email: emailField });
export type ForgotPasswordInput = z.input<typeof forgotPasswordSchema>;

/** Setting a new password from the emailed link. */
export const resetPasswordSchema = z.object({
  token: opaqueId(200, "This link is not valid. Ask for a new one from the sign-in page."),
  password: newPasswordField,
});
export type ResetPasswordInput = z.input<typeof resetPasswordSchema>;

export function resetPasswordFormSchema(person: { email: string; name: string }) {
  return resetPasswordSchema.superRefine((v, ctx) => {
    const personal = personalPasswordProblem(v.password, person);
    if (personal) ctx.addIssue({ code: "custom", path: ["password"], message: personal });
  });
}
