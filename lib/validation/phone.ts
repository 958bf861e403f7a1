import { z } from "zod";
import { PASSWORD_MAX } from "./auth";
import { passwordText, plainText } from "./text";

// The phone forms (issue 12), shared by the forms and the server actions. The number itself is parsed by the service
// (lib/sms/phone.ts), which words each problem (landline, short code, …) on the `number` field.

export const phoneNumberField = plainText(40, "That number is too long. Check the digits.").refine(
  (v) => v.trim().length > 0,
  "Enter your mobile number.",
);
export const phoneCountryField = z
  .string({ error: "Choose your country." })
  .regex(/^[A-Z]{2}$/, "Choose your country from the list.");

export const smsCodeField = plainText(40, "Enter the 6-digit code from the text message.")
  .transform((v) => v.replace(/[\s-]+/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code from the text message."));

const optionalPassword = passwordText(PASSWORD_MAX, "That password is too long.").optional();

export const phoneNumberSchema = z.object({ number: phoneNumberField, country: phoneCountryField });

export const confirmPhoneSchema = z.object({
  code: smsCodeField,
  password: optionalPassword,
  emailCode: plainText(20, "Enter the 6-digit code from the email we sent you.").optional(),
});

export const confirmOldNumberSchema = z.object({
  code: smsCodeField,
  number: phoneNumberField,
  country: phoneCountryField,
});

export const confirmNewNumberSchema = z.object({ code: smsCodeField, password: optionalPassword });

export const removePhoneSchema = z.discriminatedUnion("method", [
  z.object({ method: z.literal("sms"), code: smsCodeField, password: optionalPassword }),
  z.object({
    method: z.literal("recovery"),
    code: plainText(64, "Enter a recovery code like 7hq2k-9xv3m-c4pwd-r8tne.").refine(
      (v) => v.trim().length > 0,
      "Enter one of your recovery codes.",
    ),
    password: optionalPassword,
  }),
]);
