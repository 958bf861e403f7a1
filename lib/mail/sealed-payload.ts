import { secretBox } from "../crypto/encryption";
import type { MailTemplates, TemplateName } from "./templates";

// S41: no live secret rests in the database in clear. The fields of a queued mail that carry a code, a link with a
// token or recovery codes are sealed with AEAD (the S3 keys) when the outbox row is written, opened only to render
// the mail at send time, and removed from the row once it is SENT (what stays: the names of the fields).
// The associated data binds the ciphertext to its row: id, template and recipient. Copied onto another row, or with
// the recipient changed, it does not open.

/** Every template field that carries a secret. A new template with a code, token or link to act on goes here. */
export const SECRET_FIELDS: { readonly [K in TemplateName]?: readonly (keyof MailTemplates[K] & string)[] } = {
  invitation: ["acceptUrl"],
  "two-factor-reset": ["reEnrollUrl"],
  "recovery-codes-issued": ["codes"],
  "email-code": ["code"],
  "password-reset": ["resetUrl"],
};

export const SEALED_KEY = "$sealed";
export const SCRUBBED_KEY = "$scrubbed";
const PURPOSE = "outbox-mail";

export interface OutboxRowIdentity {
  id: string;
  template: string;
  to: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);
const context = (row: OutboxRowIdentity) => ({ purpose: PURPOSE, id: `${row.id}\n${row.template}\n${row.to}` });

/** The payload to store for `row`: the secret fields of its template replaced by one sealed box. */
export function sealPayload(row: OutboxRowIdentity, data: Json): Json {
  const fields = ((SECRET_FIELDS as Record<string, readonly string[] | undefined>)[row.template] ?? []).filter(
    (f) => data[f] !== undefined,
  );
  if (fields.length === 0) return data;
  const secret: Json = {};
  const rest: Json = { ...data };
  for (const f of fields) {
    secret[f] = data[f];
    delete rest[f];
  }
  return { ...rest, [SEALED_KEY]: { fields, box: secretBox().seal(JSON.stringify(secret), context(row)) } };
}

/** The template data of a stored row: sealed fields opened (throws SecretDecryptionError if they do not open). */
export function openPayload(row: OutboxRowIdentity, payload: unknown): unknown {
  if (!isObject(payload) || !(SEALED_KEY in payload)) return payload;
  const { [SEALED_KEY]: sealed, ...rest } = payload;
  if (!isObject(sealed) || typeof sealed.box !== "string") throw new Error("malformed sealed mail payload");
  const secret: unknown = JSON.parse(secretBox().open(sealed.box, context(row)));
  if (!isObject(secret)) throw new Error("malformed sealed mail payload");
  return { ...rest, ...secret };
}
