// A local stand-in for the Resend API (POST /emails, POST /emails/batch) so the real `resend` SDK can be tested
// offline: point it here with `baseUrl`. It is as strict as Resend's documented behaviour
// (https://resend.com/docs/api-reference/errors, …/idempotency-keys, …/batch-validation-modes):
//  - 401 missing_api_key without a bearer key, 403 invalid_api_key for a wrong one;
//  - field validation (from, to with 1–50 addresses, subject, html or text; address format) → 422, or per email in
//    the `errors` array of a permissive batch; more than 100 emails in a batch → 422;
//  - Idempotency-Key (1–256 chars, else 400 invalid_idempotency_key): the same key with the same request → the stored
//    answer, nothing sent again; with another request → 409 invalid_idempotent_request; while the first is still in
//    progress → 409 concurrent_idempotent_requests. Only accepted requests are stored;
//  - error bodies are `{ statusCode, name, message }`.
// Fault modes: fail the next N calls with 500 or 429 (+ Retry-After), accept and then drop the answer (the socket is
// destroyed after the mails are recorded), refuse every call with 403 validation_error (sender domain not verified).
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface CapturedEmail {
  from: string;
  to: string | string[];
  subject: string;
  html?: string;
  text?: string;
  headers?: Record<string, string>;
}

export interface CapturedRequest {
  path: "/emails" | "/emails/batch";
  idempotencyKey: string | null;
  batchValidation: string | null;
  emails: CapturedEmail[];
  /** what the server answered (0: the answer was dropped after the mails were accepted) */
  status: number;
  /** true when the answer was replayed from an earlier request with the same Idempotency-Key */
  replayed: boolean;
  /** true when the mails were accepted but the answer never reached the client */
  dropped: boolean;
}

export interface ResendErrorBody {
  statusCode: number;
  name: string;
  message: string;
}

export interface CaptureServer {
  url: string;
  apiKey: string;
  requests: CapturedRequest[];
  /** every email the "provider" accepted, once each (replays excluded) */
  readonly accepted: (CapturedEmail & { id: string })[];
  failNext(count: number, status: 500 | 429, retryAfterSeconds?: number): void;
  /** accept (record) the next `count` sending requests, then destroy the socket instead of answering */
  dropNextResponses(count: number): void;
  /** while on, every send is refused with 403 validation_error: the sender's domain is not verified */
  setDomainVerified(verified: boolean): void;
  /** reject (permissive batch) or fail (single send) any email to these addresses with a validation error */
  rejectAddresses(addresses: string[]): void;
  /** delay every answer (to widen race windows) */
  setDelay(ms: number): void;
  reset(): void;
  close(): Promise<void>;
}

const MAX_BATCH = 100;
const MAX_RECIPIENTS = 50;
const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;
const NAMED_ADDRESS = /^[^<>]*<([^<>]+)>$/;

const error = (statusCode: number, name: string, message: string): ResendErrorBody => ({ statusCode, name, message });

function addressOf(value: string): string {
  const named = NAMED_ADDRESS.exec(value.trim());
  return (named?.[1] ?? value).trim();
}

/** Resend's field validation for one email: null when valid, else the 422 error. */
export function validateEmail(email: unknown): ResendErrorBody | null {
  if (email === null || typeof email !== "object" || Array.isArray(email)) {
    return error(422, "validation_error", "Each email must be an object.");
  }
  const e = email as Record<string, unknown>;
  for (const field of ["from", "to", "subject"]) {
    if (e[field] === undefined || e[field] === null || e[field] === "") {
      return error(422, "missing_required_field", `Missing \`${field}\` field.`);
    }
  }
  if (typeof e.from !== "string" || !ADDRESS.test(addressOf(e.from))) {
    return error(
      422,
      "validation_error",
      "Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.",
    );
  }
  const to = Array.isArray(e.to) ? e.to : [e.to];
  if (to.length < 1 || to.length > MAX_RECIPIENTS) {
    return error(422, "validation_error", `The \`to\` field must have between 1 and ${MAX_RECIPIENTS} recipients.`);
  }
  if (!to.every((a) => typeof a === "string" && ADDRESS.test(addressOf(a)))) {
    return error(
      422,
      "validation_error",
      "Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.",
    );
  }
  if (typeof e.subject !== "string") return error(422, "validation_error", "Invalid `subject` field.");
  const html = typeof e.html === "string" && e.html !== "";
  const text = typeof e.text === "string" && e.text !== "";
  if (!html && !text) return error(422, "missing_required_field", "Missing `html` or `text` field.");
  return null;
}

/** The same request, whatever the order of keys in its JSON. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

export async function startResendCaptureServer(apiKey = `re_test_${randomUUID().slice(0, 8)}`): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  const accepted: (CapturedEmail & { id: string })[] = [];
  const idempotent = new Map<string, { fingerprint: string; status: number; body: string }>();
  const inProgress = new Map<string, string>();
  let failures: { remaining: number; status: number; retryAfter?: number } = { remaining: 0, status: 500 };
  let drops = 0;
  let domainVerified = true;
  let rejected = new Set<string>();
  let delayMs = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        const text = JSON.stringify(body);
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(text);
        return text;
      };
      const fail = (e: ResendErrorBody, headers: Record<string, string> = {}) => reply(e.statusCode, e, headers);
      const path = req.url?.split("?")[0];
      if (path !== "/emails" && path !== "/emails/batch") {
        fail(error(404, "not_found", "The requested endpoint does not exist."));
        return;
      }
      if (req.method !== "POST") {
        fail(error(405, "method_not_allowed", "Method is not allowed for the requested path."));
        return;
      }
      const authorization = req.headers.authorization;
      if (!authorization?.startsWith("Bearer ") || authorization === "Bearer ") {
        fail(error(401, "missing_api_key", "Missing API key in the authorization header."));
        return;
      }
      if (authorization !== `Bearer ${apiKey}`) {
        fail(error(403, "invalid_api_key", "API key is invalid."));
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        fail(error(400, "validation_error", "Invalid JSON body."));
        return;
      }
      const key = (req.headers["idempotency-key"] as string | undefined) ?? null;
      const batchValidation = (req.headers["x-batch-validation"] as string | undefined) ?? null;
      const emails = (path === "/emails" ? [parsed] : Array.isArray(parsed) ? parsed : []) as CapturedEmail[];
      const record: CapturedRequest = {
        path,
        idempotencyKey: key,
        batchValidation,
        emails,
        status: 0,
        replayed: false,
        dropped: false,
      };
      requests.push(record);
      const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        record.status = status;
        return reply(status, body, headers);
      };

      if (key !== null && (key.length < 1 || key.length > 256)) {
        answer(400, error(400, "invalid_idempotency_key", "The key must be between 1-256 chars."));
        return;
      }
      const fingerprint = `${path} ${batchValidation ?? ""} ${canonical(parsed)}`;
      if (key) {
        const stored = idempotent.get(key);
        if (stored) {
          if (stored.fingerprint !== fingerprint) {
            answer(
              409,
              error(409, "invalid_idempotent_request", "Same idempotency key used with a different request payload."),
            );
            return;
          }
          record.status = stored.status;
          record.replayed = true;
          res.writeHead(stored.status, { "content-type": "application/json" });
          res.end(stored.body);
          return;
        }
        if (inProgress.has(key)) {
          answer(
            409,
            error(
              409,
              "concurrent_idempotent_requests",
              "Same idempotency key used while original request is still in progress.",
            ),
          );
          return;
        }
        inProgress.set(key, fingerprint);
      }
      try {
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        if (failures.remaining > 0) {
          failures.remaining--;
          if (failures.status === 429) {
            answer(
              429,
              error(429, "rate_limit_exceeded", "Too many requests. Please limit the number of requests per second."),
              failures.retryAfter === undefined ? {} : { "retry-after": String(failures.retryAfter) },
            );
          } else {
            answer(500, error(500, "internal_server_error", "An unexpected error occurred."));
          }
          return;
        }
        if (path === "/emails/batch") {
          if (!Array.isArray(parsed)) {
            answer(422, error(422, "validation_error", "The batch must be an array of emails."));
            return;
          }
          if (parsed.length === 0 || parsed.length > MAX_BATCH) {
            answer(422, error(422, "validation_error", `A batch must contain between 1 and ${MAX_BATCH} emails.`));
            return;
          }
        }
        if (!domainVerified) {
          const domain = addressOf(String(emails[0]?.from ?? "")).split("@")[1] ?? "";
          answer(
            403,
            error(403, "validation_error", `The ${domain} domain is not verified. Please, add and verify your domain.`),
          );
          return;
        }
        const problem = (e: CapturedEmail): ResendErrorBody | null =>
          validateEmail(e) ??
          ([e.to].flat().some((a) => rejected.has(addressOf(a)))
            ? error(422, "validation_error", "Invalid `to` field.")
            : null);

        let body: unknown;
        if (path === "/emails") {
          const invalid = problem(emails[0] as CapturedEmail);
          if (invalid) {
            answer(invalid.statusCode, invalid);
            return;
          }
          const id = randomUUID();
          accepted.push({ ...(emails[0] as CapturedEmail), id });
          body = { id };
        } else {
          const problems = emails.map(problem);
          const firstProblem = problems.find((p) => p !== null);
          if (batchValidation !== "permissive" && firstProblem) {
            answer(firstProblem.statusCode, firstProblem); // strict (the default): one invalid email fails the batch
            return;
          }
          const data: { id: string }[] = [];
          const errors: { index: number; message: string }[] = [];
          emails.forEach((email, index) => {
            const p = problems[index];
            if (p) {
              errors.push({ index, message: p.message });
              return;
            }
            const id = randomUUID();
            accepted.push({ ...email, id });
            data.push({ id });
          });
          body = batchValidation === "permissive" ? { data, errors } : { data };
        }
        const text = JSON.stringify(body);
        if (key) idempotent.set(key, { fingerprint, status: 200, body: text });
        if (drops > 0) {
          drops--;
          record.dropped = true;
          req.socket.destroy(); // accepted and recorded, but the answer is lost
          return;
        }
        answer(200, body);
      } finally {
        if (key) inProgress.delete(key);
      }
    });
  });
  // Longer than the client's keep-alive (undici: the server's hint minus 1 s), so a pooled connection is never closed
  // under a request that is being written — that race surfaces as a network error in the SDK.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    get accepted() {
      return accepted;
    },
    failNext(count, status, retryAfterSeconds) {
      failures = { remaining: count, status, retryAfter: retryAfterSeconds };
    },
    dropNextResponses(count) {
      drops = count;
    },
    setDomainVerified(verified) {
      domainVerified = verified;
    },
    rejectAddresses(addresses) {
      rejected = new Set(addresses);
    },
    setDelay(ms) {
      delayMs = ms;
    },
    reset() {
      requests.length = 0;
      accepted.length = 0;
      idempotent.clear();
      inProgress.clear();
      failures = { remaining: 0, status: 500 };
      drops = 0;
      domainVerified = true;
      rejected = new Set();
      delayMs = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
