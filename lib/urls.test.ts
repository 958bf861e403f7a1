import { describe, expect, it, vi } from "vitest";
import { safeRedirect, safeRedirectFromUrl } from "./urls";

// S38: every redirect target that comes from input goes through safeRedirect. The app's origin for these tests:
vi.stubEnv("NEXTAUTH_URL", "http://localhost:3103");

/** What a browser does to a Location it follows: tabs and newlines anywhere and C0/space at the ends are dropped. */
const asBrowserFollows = (path: string) => new URL(path.replace(/[\t\n\r]/g, ""), "http://localhost:3103");

const HOSTILE: [string, unknown][] = [
  ["tab after the first slash (browsers strip it: //evil)", "/\t/evil.example"],
  ["encoded tab", "/%09/evil.example"],
  ["double-encoded tab", "/%2509/evil.example"],
  ["newline", "/\n/evil.example"],
  ["encoded newline", "/%0a/evil.example"],
  ["CR LF", "/\r\n/evil.example"],
  ["encoded CR LF", "/%0d%0a/evil.example"],
  ["two tabs", "/\t\t/evil.example"],
  ["leading tab before //", "\t//evil.example"],
  ["NUL", "/\u0000//evil.example"],
  ["DEL", "/\u007f/evil.example"],
  ["Unicode line separator", "/\u2028/evil.example"],
  ["protocol-relative", "//evil.example"],
  ["three slashes", "///evil.example"],
  ["slash backslash", "/\\evil.example"],
  ["two backslashes", "\\\\evil.example"],
  ["encoded backslash", "/%5Cevil.example"],
  ["two encoded backslashes", "/%5C%5Cevil.example"],
  ["encoded slash after slash", "/%2F/evil.example"],
  ["encoded double slash", "/%2f%2fevil.example"],
  ["fully encoded protocol-relative", "%2F%2Fevil.example"],
  ["double-encoded double slash", "/%252F%252Fevil.example"],
  ["triple-encoded backslash", "/%25255Cevil.example"],
  ["invalid percent-encoding", "/%zz/dashboard"],
  ["absolute URL to another host", "https://evil.example/dashboard"],
  ["absolute URL on the app's own origin (absolute URLs are refused)", "http://localhost:3103/dashboard"],
  ["other port", "http://localhost:3104/dashboard"],
  ["other scheme", "https://localhost:3103/dashboard"],
  ["userinfo trick", "http://localhost:3103@evil.example/"],
  ["protocol-relative userinfo trick", "//localhost:3103@evil.example"],
  ["backslash userinfo trick", "http://evil.example\\@localhost:3103/"],
  ["scheme without slashes", "http:evil.example"],
  ["javascript:", "javascript:alert(1)"],
  ["JavaScript: mixed case", "JavaScript:alert(document.domain)"],
  ["javascript: after a space", " javascript:alert(1)"],
  ["data:", "data:text/html,<script>alert(1)</script>"],
  ["fullwidth solidi", "／／evil.example"],
  ["relative path without slash", "dashboard"],
  ["query only", "?callbackUrl=//evil.example"],
  ["fragment only", "#top"],
  ["back into sign-in", "/sign-in"],
  ["back into the second step with a hostile target", "/sign-in/verify?callbackUrl=//evil.example"],
  ["into next-auth's API", "/api/auth/signout"],
  ["into the API, upper case", "/API/auth/signout"],
  ["dot segments into sign-in", "/dashboard/../sign-in"],
  ["encoded dot segments into the API", "/%2e%2e/api/auth/signout"],
  ["encoded slash with dot segment", "/dashboard/..%2Fapi/auth/signout"],
  ["empty", ""],
  ["too long", `/${"a".repeat(3000)}`],
  ["null", null],
  ["undefined", undefined],
  ["array (repeated query parameter)", ["/dashboard", "//evil.example"]],
  ["number", 42],
];

const KEPT: [string, string][] = [
  ["/dashboard", "/dashboard"],
  ["/settings/users?role=ADMIN&page=2", "/settings/users?role=ADMIN&page=2"],
  ["/audit-log?q=sign%20in&from=2026-01-01", "/audit-log?q=sign%20in&from=2026-01-01"],
  ["/profile/security#sessions", "/profile/security#sessions"],
  ["/profile/security/two-factor/setup", "/profile/security/two-factor/setup"],
  ["/settings/users?q=o%27brien&sort=name", "/settings/users?q=o%27brien&sort=name"],
  ["/audit-log?next=https://example.test/x", "/audit-log?next=https://example.test/x"],
];

describe("safeRedirect (S38)", () => {
  it(`refuses ${HOSTILE.length} hostile targets: the dashboard instead`, () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(30);
    const accepted = HOSTILE.filter(([, target]) => safeRedirect(target) !== "/dashboard").map(([name]) => name);
    expect(accepted).toEqual([]);
  });

  it.each(HOSTILE)("%s → /dashboard", (_name, target) => {
    expect(safeRedirect(target)).toBe("/dashboard");
  });

  it.each(KEPT)("keeps %s", (target, expected) => {
    expect(safeRedirect(target)).toBe(expected);
    // …and what a browser does with the answer stays on the app's origin.
    expect(asBrowserFollows(safeRedirect(target)).origin).toBe("http://localhost:3103");
  });

  it("anything it returns stays on the app's origin when a browser follows it", () => {
    for (const [, target] of [...HOSTILE, ...KEPT]) {
      const url = asBrowserFollows(safeRedirect(target));
      expect(url.origin).toBe("http://localhost:3103");
      expect(url.pathname.startsWith("//")).toBe(false);
    }
  });

  it("takes a custom fallback", () => {
    expect(safeRedirect("//evil.example", "/profile/security")).toBe("/profile/security");
  });
});

describe("safeRedirectFromUrl (next-auth's absolute callback URL)", () => {
  it.each([
    ["http://localhost:3103/settings/users?role=ADMIN", "/settings/users?role=ADMIN"],
    ["/settings/users", "/settings/users"],
  ])("keeps %s as %s", (target, expected) => {
    expect(safeRedirectFromUrl(target)).toBe(expected);
  });

  it.each([
    "http://localhost:3103.evil.example/dashboard",
    "http://localhost:3103@evil.example/dashboard",
    "http://user@localhost:3103/dashboard",
    "http://localhost:3103//evil.example",
    "http://localhost:3103/\t/evil.example",
    "http://localhost:3103/sign-in",
    "http://localhost:3103",
    "https://evil.example/",
    "//evil.example",
    "/\t/evil.example",
    "javascript:alert(1)",
  ])("refuses %s", (target) => {
    expect(safeRedirectFromUrl(target)).toBe("/dashboard");
  });
});
