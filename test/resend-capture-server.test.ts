import { Resend } from "resend";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type CaptureServer, startResendCaptureServer } from "./resend-capture-server";

// The stand-in must be as strict as Resend, or tests against it prove nothing: a transport that sends 101 emails, a
// bad address or a reused key would pass here and fail in production.

const FROM = "Twofold <security@twofold.test>";
const email = (i: number, extra: Record<string, unknown> = {}) => ({
  from: FROM,
  to: `person${i}@example.test`,
  subject: `Subject ${i}`,
  text: `Hello ${i}`,
  ...extra,
});

let server: CaptureServer;
let resend: Resend;

beforeAll(async () => {
  server = await startResendCaptureServer();
  resend = new Resend(server.apiKey, { baseUrl: server.url });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${server.apiKey}`, ...headers },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

describe("Resend capture server: as strict as Resend", () => {
  it("401 missing_api_key without a key, 403 invalid_api_key for a wrong one, shaped like Resend's errors", async () => {
    expect(await post("/emails", email(1), { authorization: "" })).toEqual({
      status: 401,
      body: { statusCode: 401, name: "missing_api_key", message: "Missing API key in the authorization header." },
    });
    const wrong = await new Resend("re_not_the_key_123", { baseUrl: server.url }).emails.send(email(1));
    expect(wrong.error).toEqual({ statusCode: 403, name: "invalid_api_key", message: "API key is invalid." });
    expect(server.accepted).toHaveLength(0);
  });

  it("refuses a batch of more than 100 emails (422), in strict and permissive mode", async () => {
    const batch = Array.from({ length: 101 }, (_, i) => email(i));
    for (const batchValidation of ["strict", "permissive"] as const) {
      const r = await resend.batch.send(batch, { batchValidation });
      expect(r.error).toMatchObject({ statusCode: 422, name: "validation_error" });
    }
    expect((await resend.batch.send(batch.slice(0, 100))).error).toBeNull();
    expect(server.accepted).toHaveLength(100);
  });

  it.each([
    ["no from", { from: undefined }, "missing_required_field"],
    ["no to", { to: undefined }, "missing_required_field"],
    ["no subject", { subject: undefined }, "missing_required_field"],
    ["neither html nor text", { text: undefined }, "missing_required_field"],
    ["a malformed to", { to: "not-an-address" }, "validation_error"],
    ["a malformed from", { from: "Twofold <security>" }, "validation_error"],
    ["51 recipients", { to: Array.from({ length: 51 }, (_, i) => `p${i}@example.test`) }, "validation_error"],
    ["no recipients", { to: [] }, "validation_error"],
  ])("refuses an email with %s (422 %s)", async (_, change, name) => {
    const r = await resend.emails.send(email(1, change) as never);
    expect(r.error).toMatchObject({ statusCode: 422, name });
    expect(server.accepted).toHaveLength(0);
  });

  it("accepts 50 recipients and a named sender; html alone is enough", async () => {
    const to = Array.from({ length: 50 }, (_, i) => `p${i}@example.test`);
    expect((await resend.emails.send(email(1, { to, text: undefined, html: "<p>Hi</p>" }) as never)).error).toBeNull();
  });

  it("permissive batch: invalid emails are listed by index, the rest sent; strict: the whole batch fails", async () => {
    const batch = [email(0), email(1, { to: "broken" }), email(2)];
    const strict = await resend.batch.send(batch);
    expect(strict.error).toMatchObject({ statusCode: 422, name: "validation_error" });
    expect(server.accepted).toHaveLength(0);
    const permissive = await resend.batch.send(batch, { batchValidation: "permissive" });
    expect(permissive.data?.data).toHaveLength(2);
    expect(permissive.data?.errors).toEqual([{ index: 1, message: expect.stringContaining("Invalid `to` field") }]);
    expect(server.accepted.map((a) => a.to)).toEqual(["person0@example.test", "person2@example.test"]);
  });

  it("Idempotency-Key: same request → same answer, sent once; another request → 409; bad key → 400", async () => {
    const first = await resend.emails.send(email(1), { idempotencyKey: "welcome/1" });
    const again = await resend.emails.send(email(1), { idempotencyKey: "welcome/1" });
    expect(again.data?.id).toBe(first.data?.id);
    expect(server.accepted).toHaveLength(1);
    expect(server.requests.map((r) => r.replayed)).toEqual([false, true]);

    const other = await resend.emails.send(email(2), { idempotencyKey: "welcome/1" });
    expect(other.error).toEqual({
      statusCode: 409,
      name: "invalid_idempotent_request",
      message: "Same idempotency key used with a different request payload.",
    });
    const batchReuse = await resend.batch.send([email(1), email(2)], { idempotencyKey: "welcome/1" });
    expect(batchReuse.error).toMatchObject({ statusCode: 409, name: "invalid_idempotent_request" });
    expect(server.accepted).toHaveLength(1);

    const tooLong = await resend.emails.send(email(3), { idempotencyKey: "k".repeat(257) });
    expect(tooLong.error).toMatchObject({ statusCode: 400, name: "invalid_idempotency_key" });
  });

  it("the same key while the first request is in progress → 409 concurrent_idempotent_requests", async () => {
    server.setDelay(200);
    const [a, b] = await Promise.all([
      resend.emails.send(email(1), { idempotencyKey: "slow/1" }),
      new Promise((r) => setTimeout(r, 50)).then(() => resend.emails.send(email(1), { idempotencyKey: "slow/1" })),
    ]);
    expect(a.error).toBeNull();
    expect(b.error).toMatchObject({ statusCode: 409, name: "concurrent_idempotent_requests" });
    expect(server.accepted).toHaveLength(1);
  });

  it("a refused request is not stored: the same key may be retried once the cause is gone", async () => {
    server.failNext(1, 500);
    expect((await resend.emails.send(email(1), { idempotencyKey: "retry/1" })).error).toMatchObject({
      statusCode: 500,
    });
    server.setDomainVerified(false);
    expect((await resend.emails.send(email(1), { idempotencyKey: "retry/1" })).error).toEqual({
      statusCode: 403,
      name: "validation_error",
      message: "The twofold.test domain is not verified. Please, add and verify your domain.",
    });
    server.setDomainVerified(true);
    expect((await resend.emails.send(email(1), { idempotencyKey: "retry/1" })).error).toBeNull();
    expect(server.accepted).toHaveLength(1);
  });

  it("drop mode: the mails are accepted, the answer is lost; the same request later gets the stored answer", async () => {
    server.dropNextResponses(1);
    const lost = await resend.batch.send([email(1), email(2)], { idempotencyKey: "lost/1" });
    expect(lost.error).toMatchObject({ statusCode: null, name: "application_error" });
    expect(server.accepted).toHaveLength(2);
    expect(server.requests[0]).toMatchObject({ dropped: true, status: 0 });
    const retry = await resend.batch.send([email(1), email(2)], { idempotencyKey: "lost/1" });
    expect(retry.data?.data.map((d) => d.id)).toEqual(server.accepted.map((a) => a.id));
    expect(server.accepted).toHaveLength(2);
  });
});
