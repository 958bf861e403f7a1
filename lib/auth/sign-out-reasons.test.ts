import { describe, expect, it } from "vitest";
import { isSignOutReason, SIGN_OUT_REASONS, signOutReasonText } from "./sign-out-reasons";

describe("sign-out reasons (issue 10 item 4)", () => {
  it("every code has words a person can read, and no words name anyone", () => {
    for (const [code, words] of Object.entries(SIGN_OUT_REASONS)) {
      expect(code).toMatch(/^[a-z0-9_]+$/);
      expect(words.length, code).toBeGreaterThan(20);
      expect(words, code).not.toMatch(/[<>{}@]/);
    }
  });

  it("the codes other paths rely on exist (password_changed for password change and reset)", () => {
    for (const code of ["password_changed", "signed_out_by_admin", "organization_requires_2fa", "idle_timeout"])
      expect(isSignOutReason(code), code).toBe(true);
    expect(signOutReasonText("organization_requires_2fa")).toBe(
      "Your organization now requires two-factor authentication. Sign in to set it up.",
    );
  });

  it("an unknown, empty or crafted code shows nothing", () => {
    for (const code of [null, undefined, "", "unknown", "__proto__", "toString", "constructor", "<b>hi</b>", 1, {}])
      expect(signOutReasonText(code)).toBeNull();
  });
});
