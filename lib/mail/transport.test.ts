import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type CaptureServer, startResendCaptureServer } from "@/test/resend-capture-server";
import {
  batchIdempotencyKey,
  classifyResendError,
  createResendTransport,
  type MailTransport,
  type OutgoingMail,
  safeErrorText,
} from "./transport";

const FROM = "Twofold <security@twofold.test>";
const mail = (i: number, to = `person${i}@example.test`): OutgoingMail => ({
  outboxId: `obx_${String(i).padStart(4, "0")}`,
  to,
  subject: `Subject ${i}`,
  html: `<p>Hello ${i}</p>`,
  text: `Hello ${i}`,
});

let server: CaptureServer;
let transport: MailTransport;

beforeAll(async () => {
  server = await startResendCaptureServer();
  transport = createResendTransport({ apiKey: server.apiKey, baseUrl: `${server.url}/`, from: FROM });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe("Resend transport (real SDK against the capture server)", () => {
  it("sends one mail with POST /emails, keyed by the outbox id", async () => {
    const [outcome] = await transport.send([mail(1)]);
    expect(server.requests).toHaveLength(1);
    const [req] = server.requests;
    expect(req?.path).toBe("/emails");
    expect(req?.idempotencyKey).toBe("obx_0001");
    expect(req?.emails[0]).toMatchObject({
      from: FROM,
      to: "person1@example.test",
      subject: "Subject 1",
      text: "Hello 1",
    });
    expect(req?.emails[0]?.headers).toEqual({ "X-Twofold-Outbox-Id": "obx_0001" });
    expect(outcome).toEqual({ outboxId: "obx_0001", ok: true, providerId: server.accepted[0]?.id });
  });

  it("sends 2..100 mails in ONE POST /emails/batch with a stable idempotency key", async () => {
    const mails = Array.from({ length: 100 }, (_, i) => mail(i));
    const outcomes = await transport.send([...mails].reverse());
    expect(server.requests).toHaveLength(1);
    const [req] = server.requests;
    expect(req?.path).toBe("/emails/batch");
    expect(req?.batchValidation).toBe("permissive");
    expect(req?.emails).toHaveLength(100);
    expect(req?.idempotencyKey).toBe(batchIdempotencyKey(mails.map((m) => m.outboxId)));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    // each outcome carries the provider id of ITS mail
    const idByOutbox = new Map(server.accepted.map((a) => [a.headers?.["X-Twofold-Outbox-Id"], a.id]));
    for (const o of outcomes) expect(o.ok && o.providerId).toBe(idByOutbox.get(o.outboxId));
    await expect(transport.send(Array.from({ length: 101 }, (_, i) => mail(i)))).rejects.toThrow(/at most 100/);
  });

  it("a rejected address fails permanently without sinking the rest of the batch", async () => {
    server.rejectAddresses(["bad@example.test"]);
    const outcomes = await transport.send([mail(1), mail(2, "bad@example.test"), mail(3)]);
    const byId = new Map(outcomes.map((o) => [o.outboxId, o]));
    expect(byId.get("obx_0001")).toMatchObject({ ok: true, providerId: server.accepted[0]?.id });
    expect(byId.get("obx_0002")).toMatchObject({ ok: false, permanent: true });
    expect(byId.get("obx_0003")).toMatchObject({ ok: true, providerId: server.accepted[1]?.id });
    expect(server.accepted.map((a) => a.to)).toEqual(["person1@example.test", "person3@example.test"]);
  });

  it("500 is a retryable failure; 429 carries Retry-After", async () => {
    server.failNext(1, 500);
    const [e500] = await transport.send([mail(1)]);
    expect(e500).toMatchObject({ ok: false, permanent: false });
    expect(e500?.ok === false && e500.error).toMatch(/^resend 500 internal_server_error/);
    server.failNext(1, 429, 42);
    const failed = await transport.send([mail(1), mail(2)]);
    expect(failed).toHaveLength(2);
    for (const o of failed) expect(o).toMatchObject({ ok: false, permanent: false, retryAfterMs: 42_000 });
    expect(server.accepted).toHaveLength(0);
  });

  it("a wrong API key is retryable (configuration can be fixed) and never echoes the key", async () => {
    const wrong = createResendTransport({ apiKey: "re_wrong_secret_123456", baseUrl: server.url, from: FROM });
    const [o] = await wrong.send([mail(1)]);
    expect(o).toMatchObject({ ok: false, permanent: false });
    expect(JSON.stringify(o)).not.toContain("re_wrong_secret_123456");
  });

  it("a network failure is retryable", async () => {
    const down = createResendTransport({ apiKey: server.apiKey, baseUrl: "http://127.0.0.1:9", from: FROM });
    const [o] = await down.send([mail(1)]);
    expect(o).toMatchObject({ ok: false, permanent: false });
    expect(o?.ok === false && o.error).toMatch(/network/);
  });
});

describe("transport helpers", () => {
  it("error text is one bounded line without keys or bearer tokens", () => {
    const text = safeErrorText(
      `failed\nwith key re_live_abcdef123456 and Authorization: Bearer abc.def ${"x".repeat(500)}`,
    );
    expect(text).not.toContain("re_live_abcdef123456");
    expect(text).not.toContain("abc.def");
    expect(text).not.toContain("\n");
    expect(text.length).toBeLessThanOrEqual(300);
  });

  it("batch keys depend on the set of ids, not their order", () => {
    expect(batchIdempotencyKey(["b", "a"])).toBe(batchIdempotencyKey(["a", "b"]));
    expect(batchIdempotencyKey(["a", "b"])).not.toBe(batchIdempotencyKey(["a", "c"]));
    expect(batchIdempotencyKey(["a"]).length).toBeLessThanOrEqual(256);
  });
});

describe("Resend errors, classified as Resend documents them", () => {
  it.each([
    [500, "internal_server_error", false, "transient"],
    [null, "application_error", true, "transient"], // no answer (network, lost response)
    [429, "rate_limit_exceeded", true, "transient"],
    [429, "daily_quota_exceeded", false, "transient"],
    [409, "concurrent_idempotent_requests", true, "transient"],
    [409, "invalid_idempotent_request", true, "accepted"],
    [409, "invalid_idempotent_request", false, "accepted"],
    [401, "missing_api_key", false, "configuration"],
    [401, "validation_error", false, "configuration"], // "API key is invalid" on the sending endpoints
    [403, "invalid_api_key", true, "configuration"],
    [403, "validation_error", true, "configuration"], // domain not verified / testing-only sender
    [404, "not_found", false, "configuration"],
    [405, "method_not_allowed", false, "configuration"],
    [400, "invalid_idempotency_key", true, "configuration"],
    [422, "validation_error", false, "rejected"], // one mail: a bad recipient
    [422, "missing_required_field", false, "rejected"],
    [400, "validation_error", false, "rejected"],
    [422, "validation_error", true, "refused"], // a whole batch request: nothing accepted
  ] as const)("%s %s (batch: %s) → %s", (statusCode, name, batch, expected) => {
    expect(classifyResendError({ statusCode, name, message: "" }, batch)).toBe(expected);
  });
});
