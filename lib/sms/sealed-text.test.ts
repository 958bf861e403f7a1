import { describe, expect, it } from "vitest";
import { openText, sealText } from "./sealed-text";

describe("sealed texts (S41)", () => {
  const row = { id: "ob1", template: "sms-code:sign-in", to: "+447700900123" };
  it("keeps the body out of the stored payload and opens it for its own row only", () => {
    const payload = sealText(row, "Your code is 123456");
    expect(JSON.stringify(payload)).not.toContain("123456");
    expect(openText(row, payload)).toBe("Your code is 123456");
    expect(() => openText({ ...row, to: "+447700900124" }, payload)).toThrow();
    expect(() => openText({ ...row, id: "ob2" }, payload)).toThrow();
  });
  it("refuses a scrubbed payload", () => {
    expect(() => openText(row, { $scrubbed: ["body"] })).toThrow(/no sealed body/);
  });
});
