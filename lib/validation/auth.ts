import { z } from "zod";

// Shared by react-hook-form (client) and server actions (server): one schema per form.

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

export const emailField = z
  .string()
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .pipe(z.email("Enter a valid email address, like name@example.com."))
  .transform((e) => e.toLowerCase());

export const newPasswordField = z
  .string()
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`)
  .refine((p) => new Set(p).size >= 4, "This password is too easy to guess. Use a longer, more varied one.");

export const nameField = z.string().trim().min(1, "Enter your name.").max(100, "Use at most 100 characters.");

export const signInSchema = z.object({
  email: emailField,
  password: z.string().min(1, "Enter your password.").max(PASSWORD_MAX, "That password is too long."),
});
export type SignInInput = z.input<typeof signInSchema>;

export const signUpSchema = z
  .object({
    name: nameField,
    email: emailField,
    password: newPasswordField,
    organizationName: z.string().trim().min(2, "Enter your organization's name.").max(80, "Use at most 80 characters."),
  })
  .refine((v) => v.password.toLowerCase() !== v.email, {
    path: ["password"],
    message: "Your password must not be your email address.",
  });
export type SignUpInput = z.input<typeof signUpSchema>;

export const acceptInvitationSchema = z.object({
  token: z.string().min(20).max(200),
  name: nameField.optional(),
  password: z.string().min(1, "Enter a password.").max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`),
});
export type AcceptInvitationInput = z.input<typeof acceptInvitationSchema>;
