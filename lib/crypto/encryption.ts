import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { encryptionKeysSchema, env } from "@/lib/env";

// AES-256-GCM for second-factor secrets at rest (S3). Payload: `v<keyVersion>:<iv>:<tag>:<ciphertext>` (base64url).
// The key comes from the environment, never the database; the user id (and key version) is the associated data,
// so a ciphertext copied onto another user's row does not decrypt. Old key versions stay configured to decrypt.

export type KeyRing = ReadonlyMap<number, Uint8Array>;
export type SecretBox = {
  readonly currentVersion: number;
  encrypt(plaintext: string, context: { userId: string }): string;
  decrypt(payload: string, context: { userId: string }): string;
  /** True when the payload was encrypted with an older key version (re-encrypt it with `encrypt`). */
  needsReencryption(payload: string): boolean;
  /** Same AEAD for other secrets at rest (e.g. codes and links in queued mail, S41), bound to `purpose` and `id`. */
  seal(plaintext: string, context: SealContext): string;
  open(payload: string, context: SealContext): string;
};
/** Associated data for `seal`/`open`: a ciphertext only opens for the same purpose and id (e.g. one outbox row). */
export type SealContext = { purpose: string; id: string };

/** Thrown when a payload cannot be decrypted. The message never contains the payload, plaintext or key. */
export class SecretDecryptionError extends Error {
  override name = "SecretDecryptionError";
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const B64URL = /^[A-Za-z0-9_-]*$/;

// Used only in development/test when TWOFACTOR_ENCRYPTION_KEYS is unset (production requires it: lib/env.ts).
// Version 0 can never be configured, so `v0:` marks data encrypted with this public key.
export const DEVELOPMENT_KEY_VERSION = 0;
const DEVELOPMENT_KEY = Buffer.from("DEVELOPMENT-ONLY-2FA-KEY-UNSAFE!", "utf8");

/** Parses a TWOFACTOR_ENCRYPTION_KEYS value (`1:base64key,2:base64key`); errors name the variable. */
export function parseKeys(spec: string): KeyRing {
  const result = encryptionKeysSchema.safeParse(spec);
  if (!result.success) {
    throw new Error(`TWOFACTOR_ENCRYPTION_KEYS: ${result.error.issues.map((i) => i.message).join("; ")}`);
  }
  return result.data;
}

function aad(version: number, userId: string): Buffer {
  if (typeof userId !== "string" || userId === "") throw new TypeError("userId is required as associated data");
  return Buffer.from(`twofold:2fa-secret:v${version}:${userId}`, "utf8");
}

function sealAad(version: number, { purpose, id }: SealContext): Buffer {
  if (!/^[a-z0-9-]+$/.test(purpose ?? "") || purpose === "2fa-secret") throw new TypeError("seal: invalid purpose");
  if (typeof id !== "string" || id === "") throw new TypeError("seal: id is required as associated data");
  return Buffer.from(`twofold:${purpose}:v${version}:${id}`, "utf8");
}

function parsePayload(payload: string): { version: number; iv: Buffer; tag: Buffer; ciphertext: Buffer } {
  const parts = typeof payload === "string" ? payload.split(":") : [];
  const [v, iv, tag, ciphertext] = parts;
  const version = /^v\d{1,9}$/.test(v ?? "") ? Number(v?.slice(1)) : Number.NaN;
  if (
    parts.length !== 4 ||
    Number.isNaN(version) ||
    iv === undefined ||
    tag === undefined ||
    ciphertext === undefined ||
    ![iv, tag, ciphertext].every((p) => B64URL.test(p))
  ) {
    throw new SecretDecryptionError("Malformed encrypted secret (expected v<version>:<iv>:<tag>:<ciphertext>)");
  }
  const parsed = {
    version,
    iv: Buffer.from(iv, "base64url"),
    tag: Buffer.from(tag, "base64url"),
    ciphertext: Buffer.from(ciphertext, "base64url"),
  };
  if (parsed.iv.length !== IV_BYTES || parsed.tag.length !== TAG_BYTES) {
    throw new SecretDecryptionError("Malformed encrypted secret (wrong IV or tag length)");
  }
  return parsed;
}

/** An encrypt/decrypt pair over a key ring; `currentVersion` encrypts new secrets, every version decrypts. */
export function createSecretBox(keyRing: KeyRing, currentVersion: number): SecretBox {
  const keys: KeyRing = new Map(keyRing); // a copy: later changes to the caller's map do not apply
  for (const [version, key] of keys) {
    if (key.length !== KEY_BYTES) {
      throw new Error(`TWOFACTOR_ENCRYPTION_KEYS: key version ${version} must be exactly ${KEY_BYTES} bytes`);
    }
  }
  const current = keys.get(currentVersion);
  if (!current) {
    throw new Error(
      `TWOFACTOR_KEY_VERSION: version ${currentVersion} is not in TWOFACTOR_ENCRYPTION_KEYS (${[...keys.keys()].join(", ") || "none"})`,
    );
  }
  const encrypt = (plaintext: string, associated: (version: number) => Buffer) => {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", current, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associated(currentVersion));
    const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    const tag = cipher.getAuthTag();
    return `v${currentVersion}:${iv.toString("base64url")}:${tag.toString("base64url")}:${ciphertext.toString("base64url")}`;
  };
  const decrypt = (payload: string, associated: (version: number) => Buffer) => {
    const { version, iv, tag, ciphertext } = parsePayload(payload);
    const key = keys.get(version);
    if (!key) {
      throw new SecretDecryptionError(
        `Encrypted secret uses key version ${version}, which is not in TWOFACTOR_ENCRYPTION_KEYS`,
      );
    }
    const additionalData = associated(version);
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(additionalData);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
    } catch {
      throw new SecretDecryptionError(
        "Could not decrypt the secret: it belongs to another user, was encrypted with a different key, or was altered",
      );
    }
  };
  return {
    currentVersion,
    encrypt: (plaintext, { userId }) => encrypt(plaintext, (v) => aad(v, userId)),
    decrypt: (payload, { userId }) => decrypt(payload, (v) => aad(v, userId)),
    needsReencryption(payload) {
      return parsePayload(payload).version !== currentVersion;
    },
    seal: (plaintext, context) => encrypt(plaintext, (v) => sealAad(v, context)),
    open: (payload, context) => decrypt(payload, (v) => sealAad(v, context)),
  };
}

let defaultBox: SecretBox | undefined;

/** The box configured by TWOFACTOR_ENCRYPTION_KEYS / TWOFACTOR_KEY_VERSION (a labelled dev key outside production). */
export function secretBox(): SecretBox {
  if (!defaultBox) {
    if (env.TWOFACTOR_ENCRYPTION_KEYS && env.TWOFACTOR_KEY_VERSION !== undefined) {
      defaultBox = createSecretBox(env.TWOFACTOR_ENCRYPTION_KEYS, env.TWOFACTOR_KEY_VERSION);
    } else if (env.NODE_ENV === "production") {
      throw new Error("TWOFACTOR_ENCRYPTION_KEYS and TWOFACTOR_KEY_VERSION are required in production");
    } else {
      defaultBox = createSecretBox(new Map([[DEVELOPMENT_KEY_VERSION, DEVELOPMENT_KEY]]), DEVELOPMENT_KEY_VERSION);
    }
  }
  return defaultBox;
}

/** Encrypts a second-factor secret for `userId` with the current key version. */
export function encryptSecret(plaintext: string, context: { userId: string }): string {
  return secretBox().encrypt(plaintext, context);
}

/** Decrypts a payload from `encryptSecret`; throws SecretDecryptionError for another user, unknown key or tampering. */
export function decryptSecret(payload: string, context: { userId: string }): string {
  return secretBox().decrypt(payload, context);
}

/** The key version that encrypts new secrets (stored beside each secret, for rotation). */
export function currentKeyVersion(): number {
  return secretBox().currentVersion;
}
