// S8: nothing secret in logs or audit metadata. `redact` deep-copies a value, replacing the value of every key that
// looks sensitive (whatever its type, nested objects included) with "[redacted]". Over-redaction (`errorCode`) is
// the safe direction. otpauth:// URIs (they carry the secret) and binary buffers are redacted wherever they appear.

export const REDACTED = "[redacted]";
export const SENSITIVE_KEY = /secret|code|token|password|otp|recovery/i;
const MAX_DEPTH = 20;

function copy(value: unknown, seen: WeakSet<object>, depth: number): unknown {
  if (typeof value === "string") return /^otpauth:/i.test(value.trim()) ? REDACTED : value;
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return "[circular]";
  if (depth > MAX_DEPTH) return "[too deep]";
  if (value instanceof Date) return new Date(value.getTime());
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[binary ${value.byteLength} bytes]`;
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => copy(v, seen, depth + 1));
    if (value instanceof Error) {
      return { name: value.name, message: copy(value.message, seen, depth + 1) };
    }
    const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      const key = String(k);
      out[key] = SENSITIVE_KEY.test(key) ? REDACTED : copy(v, seen, depth + 1);
    }
    return out;
  } finally {
    seen.delete(value); // the same object twice (not a cycle) is copied twice
  }
}

/**
 * A deep copy of `value` safe for logs and audit metadata. The result has the same shape, except that sensitive
 * values are the string "[redacted]", Maps become plain objects and Errors become `{ name, message }`.
 */
export function redact<T>(value: T): T {
  return copy(value, new WeakSet(), 0) as T;
}
