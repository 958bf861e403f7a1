// A local stand-in for the Resend API (POST /emails, POST /emails/batch) so the real `resend` SDK can be tested
// offline: point it here with `baseUrl`. It checks the bearer key, records every request (body + Idempotency-Key),
// replays the stored response for a repeated Idempotency-Key (as Resend does), and can be told to fail the next
// N calls with 500 or 429 (+ Retry-After).
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
  /** what the server answered */
  status: number;
  /** true when the answer was replayed from an earlier request with the same Idempotency-Key */
  replayed: boolean;
}

export interface CaptureServer {
  url: string;
  apiKey: string;
  requests: CapturedRequest[];
  /** every email the "provider" accepted, once each (replays excluded) */
  readonly accepted: (CapturedEmail & { id: string })[];
  failNext(count: number, status: 500 | 429, retryAfterSeconds?: number): void;
  /** reject (permissive batch) or fail (single send) any email to these addresses with a validation error */
  rejectAddresses(addresses: string[]): void;
  /** delay every answer (to widen race windows) */
  setDelay(ms: number): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startResendCaptureServer(apiKey = `re_test_${randomUUID().slice(0, 8)}`): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  const accepted: (CapturedEmail & { id: string })[] = [];
  const idempotent = new Map<string, { status: number; body: string }>();
  let failures: { remaining: number; status: number; retryAfter?: number } = { remaining: 0, status: 500 };
  let rejected = new Set<string>();
  let delayMs = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        const text = JSON.stringify(body);
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(text);
        return text;
      };
      const path = req.url?.split("?")[0];
      if (req.method !== "POST" || (path !== "/emails" && path !== "/emails/batch")) {
        reply(404, { statusCode: 404, name: "not_found", message: "not found" });
        return;
      }
      if (req.headers.authorization !== `Bearer ${apiKey}`) {
        reply(401, { statusCode: 401, name: "invalid_api_key", message: "API key is invalid" });
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        reply(400, { statusCode: 400, name: "validation_error", message: "invalid JSON" });
        return;
      }
      const emails = (path === "/emails" ? [parsed] : parsed) as CapturedEmail[];
      const key = (req.headers["idempotency-key"] as string | undefined) ?? null;
      const record: CapturedRequest = {
        path,
        idempotencyKey: key,
        batchValidation: (req.headers["x-batch-validation"] as string | undefined) ?? null,
        emails,
        status: 0,
        replayed: false,
      };
      requests.push(record);

      const stored = key ? idempotent.get(key) : undefined;
      if (stored) {
        record.status = stored.status;
        record.replayed = true;
        res.writeHead(stored.status, { "content-type": "application/json" });
        res.end(stored.body);
        return;
      }
      if (failures.remaining > 0) {
        failures.remaining--;
        record.status = failures.status;
        if (failures.status === 429) {
          reply(
            429,
            { statusCode: 429, name: "rate_limit_exceeded", message: "Too many requests" },
            failures.retryAfter === undefined ? {} : { "retry-after": String(failures.retryAfter) },
          );
        } else {
          reply(500, { statusCode: 500, name: "internal_server_error", message: "Something went wrong" });
        }
        return;
      }
      const isRejected = (e: CapturedEmail) => [e.to].flat().some((a) => rejected.has(a));
      let status = 200;
      let body: unknown;
      if (path === "/emails") {
        const [email] = emails;
        if (!email || isRejected(email)) {
          status = 422;
          body = { statusCode: 422, name: "validation_error", message: "Invalid `to` field." };
        } else {
          const id = randomUUID();
          accepted.push({ ...email, id });
          body = { id };
        }
      } else if (record.batchValidation !== "permissive" && emails.some(isRejected)) {
        status = 422; // strict mode (the default): one invalid email fails the whole batch
        body = { statusCode: 422, name: "validation_error", message: "Invalid `to` field." };
      } else {
        const data: { id: string }[] = [];
        const errors: { index: number; message: string }[] = [];
        emails.forEach((email, index) => {
          if (isRejected(email)) {
            errors.push({ index, message: "Invalid `to` field." });
            return;
          }
          const id = randomUUID();
          accepted.push({ ...email, id });
          data.push({ id });
        });
        body = record.batchValidation === "permissive" ? { data, errors } : { data };
      }
      record.status = status;
      const text = reply(status, body);
      if (key && status === 200) idempotent.set(key, { status, body: text });
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
      failures = { remaining: 0, status: 500 };
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
