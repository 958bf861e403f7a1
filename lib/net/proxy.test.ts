// proxy.ts under an https deployment: the per-request CSP (also handed to Next on the request, for its nonces),
// HSTS, and the 403 for cross-origin state-changing requests. (The e2e suite checks the same over http in Chromium.)
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";

const APP = "https://twofold.example.com";
let proxy: (request: NextRequest) => Response;

beforeAll(async () => {
  process.env.NEXTAUTH_URL = APP; // read by lib/env on first use, in this test file's own module graph
  ({ proxy } = (await import("../../proxy")) as unknown as { proxy: typeof proxy });
});

const request = (path: string, init: { method?: string; headers?: Record<string, string> } = {}) =>
  new NextRequest(new URL(path, APP), { method: init.method ?? "GET", headers: init.headers });

const nonceOf = (csp: string | null) => /'nonce-([^']+)'/.exec(csp ?? "")?.[1];

describe("proxy.ts security headers (S44)", () => {
  it("sets a fresh nonce-based CSP on the response and on the request Next renders", () => {
    const first = proxy(request("/sign-in"));
    const csp = first.headers.get("content-security-policy");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("'strict-dynamic'");
    expect(csp).toContain("upgrade-insecure-requests");
    const nonce = nonceOf(csp);
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/); // 128 bits
    // NextResponse.next({ request: { headers } }) hands the policy to Next as a request header.
    expect(nonceOf(first.headers.get("x-middleware-request-content-security-policy"))).toBe(nonce);
    expect(nonceOf(proxy(request("/sign-in")).headers.get("content-security-policy"))).not.toBe(nonce);
  });

  it("sends HSTS when the app URL is https, also on redirects", () => {
    expect(proxy(request("/sign-in")).headers.get("strict-transport-security")).toBe(
      "max-age=63072000; includeSubDomains",
    );
    const redirect = proxy(request("/dashboard"));
    expect(redirect.status).toBe(307);
    expect(redirect.headers.get("strict-transport-security")).toContain("max-age=");
    expect(redirect.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });
});

describe("proxy.ts origin check (item 13)", () => {
  const action = { "next-action": "0123abcd", "content-type": "text/plain;charset=UTF-8" };
  it.each([
    ["a foreign Origin", { origin: "http://evil.example" }],
    [
      "a forged X-Forwarded-Host matching the foreign Origin",
      { origin: "http://evil.example", "x-forwarded-host": "evil.example" },
    ],
    ["no Origin", {}],
    ["the app's http twin", { origin: "http://twofold.example.com" }],
  ])("answers 403 to a server-action POST with %s", async (_name, headers) => {
    const response = proxy(request("/settings/users", { method: "POST", headers: { ...action, ...headers } }));
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ ok: false, code: "CROSS_ORIGIN" });
  });

  it("lets the app's own origin through, and leaves next-auth's routes and reads to their own checks", () => {
    const ok = proxy(request("/sign-up", { method: "POST", headers: { ...action, origin: APP } }));
    expect(ok.headers.get("x-middleware-next")).toBe("1");
    const nextAuth = proxy(request("/api/auth/callback/credentials", { method: "POST", headers: {} }));
    expect(nextAuth.status).not.toBe(403);
    expect(proxy(request("/sign-in", { headers: { origin: "http://evil.example" } })).status).toBe(200);
  });
});
