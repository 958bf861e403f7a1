import { secretBox } from "../crypto/encryption";
import { SEALED_KEY } from "../mail/sealed-payload";

// S41 for texts: the body of a queued text carries a code, so it is sealed (AEAD, the S3 keys) when the outbox row is
// written and opened only to send it; the row's payload then has the same `$sealed` shape as sealed mail, so the
// delivery side scrubs it once SENT (delivery-rows.ts markSent) exactly like mail. The associated data binds the box
// to its row (id, template, recipient): copied onto another row, or with the number changed, it does not open.

const PURPOSE = "outbox-sms";

export interface TextRowIdentity {
  id: string;
  template: string;
  to: string;
}

const context = (row: TextRowIdentity) => ({ purpose: PURPOSE, id: `${row.id}\n${row.template}\n${row.to}` });

/** The payload to store for a text: its body sealed, plus fields that are no secret (e.g. the purpose). */
export function sealText(
  row: TextRowIdentity,
  body: string,
  open: Record<string, string> = {},
): Record<string, unknown> {
  return { ...open, [SEALED_KEY]: { fields: ["body"], box: secretBox().seal(JSON.stringify({ body }), context(row)) } };
}

/** The body of a stored text (throws SecretDecryptionError when it does not open; an error when it was scrubbed). */
export function openText(row: TextRowIdentity, payload: unknown): string {
  const sealed =
    payload && typeof payload === "object" && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)[SEALED_KEY]
      : undefined;
  if (!sealed || typeof sealed !== "object" || typeof (sealed as { box?: unknown }).box !== "string")
    throw new Error("this text has no sealed body (already sent, or malformed)");
  const opened: unknown = JSON.parse(secretBox().open((sealed as { box: string }).box, context(row)));
  if (!opened || typeof opened !== "object" || typeof (opened as { body?: unknown }).body !== "string")
    throw new Error("malformed sealed text");
  return (opened as { body: string }).body;
}
