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
