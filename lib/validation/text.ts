import { z } from "zod";

// The one string rule for every form and action (S45): text that PostgreSQL can store and a person can read. No NUL
// or other control characters (C0, DEL, C1), no lone UTF-16 surrogates (invalid UTF-8 once encoded: Node would
// silently replace them), and a length cap on every field, checked before anything else reads the value.

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const TEXT_MESSAGES = {
  control: "Remove the invisible control characters (such as tabs or line breaks) from this field.",
  encoding: "This field contains characters that cannot be stored. Type it again without special symbols.",
} as const;

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_ALL = /[\u0000-\u001f\u007f-\u009f]/g;
const LONE_SURROGATE_ALL = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text from elsewhere (an identity provider's claims) made storable: control characters and broken halves dropped. */
export function toPlainText(value: string): string {
  return value.replace(CONTROL_ALL, "").replace(LONE_SURROGATE_ALL, "");
}

/** Well-formed Unicode without control characters. */
export function isPlainText(value: string): boolean {
  return !CONTROL.test(value) && !LONE_SURROGATE.test(value);
}

/** A single-line text field: `max` characters at most, no control characters, well-formed; `trim` first removes
 *  surrounding whitespace (a pasted line break included). */
export function plainText(max: number, tooLong = `Use at most ${max} characters.`, opts: { trim?: boolean } = {}) {
  const base = z.string({ error: "Enter text here." });
  return (opts.trim ? base.trim() : base)
    .max(max, tooLong)
    .refine((v) => !CONTROL.test(v), TEXT_MESSAGES.control)
    .refine((v) => !LONE_SURROGATE.test(v), TEXT_MESSAGES.encoding);
}

/** A password field: `max` characters at most, no control characters, well-formed (spaces and symbols are fine). */
export function passwordText(max: number, tooLong: string) {
  return z
    .string({ error: "Enter your password." })
    .max(max, tooLong)
    .refine((v) => !CONTROL.test(v), TEXT_MESSAGES.control)
    .refine((v) => !LONE_SURROGATE.test(v), TEXT_MESSAGES.encoding);
}

/** An opaque identifier or token from a link or a form (ids, tokens): letters, digits, `-` and `_` only. */
export function opaqueId(max: number, message = "This link or selection is not valid.") {
  return z
    .string({ error: message })
    .min(1, message)
    .max(max, message)
    .regex(/^[A-Za-z0-9_-]+$/, message);
}
