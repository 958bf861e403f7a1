import twilio from "twilio";
import { describe, expect, it } from "vitest";
import { classifyTwilioError } from "./sender";

// What the outbox does with each of Twilio's answers (a RestException as the SDK throws it, or a network error).

const rest = (status: number, code?: number) =>
  new twilio.RestException({
    statusCode: status,
    body: JSON.stringify({ status, message: `error ${code}`, ...(code ? { code } : {}) }),
  } as never);

describe("classifyTwilioError", () => {
  it.each([
    [400, 21211, "rejected"],
    [400, 21614, "rejected"],
    [400, 21408, "rejected"],
    [400, 21610, "rejected"],
    [400, 21606, "configuration"],
    [400, 21660, "configuration"],
    [401, 20003, "configuration"],
    [403, undefined, "configuration"],
    [404, 20404, "configuration"],
    [429, 20429, "retry"],
    [409, undefined, "retry"],
    [500, 20500, "unknown"],
    [503, undefined, "unknown"],
  ] as const)("HTTP %i (error %s) → %s", (status, code, kind) => {
    const outcome = classifyTwilioError(rest(status, code));
    expect(outcome.kind).toBe(kind);
    expect(outcome.error).toContain(`HTTP ${status}`);
  });

  it("no answer at all (timeout, reset) may hide a created message", () => {
    expect(classifyTwilioError(new Error("socket hang up"))).toMatchObject({ kind: "unknown" });
  });
});
