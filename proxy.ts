import { type NextRequest, NextResponse } from "next/server";
import { env } from "@/lib/env";
import { errorMessages } from "@/lib/errors";
import { isSameOriginRequest } from "@/lib/net/origin";
import { contentSecurityPolicy, newNonce, STRICT_TRANSPORT_SECURITY } from "@/lib/net/security-headers";

// Convenience and headers only: sends visitors without a session cookie to sign-in, tells pages their own path,
// sets the per-request CSP nonce (S44) and answers cross-origin server-action POSTs with a clear 403 before Next's
// own check answers 500 (item 13). It never decides access: every page, action and route handler checks the session
// in the database through lib/auth/guards.ts, and defineAction checks the Origin itself (CVE-2025-29927: proxy can
// be skipped).

const CONSOLE_PREFIXES = ["/dashboard", "/profile", "/settings", "/audit-log"];
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function withSecurityHeaders(response: NextResponse, csp: string): NextResponse {
  response.headers.set("Content-Security-Policy", csp);
  if (env.appOrigin.startsWith("https:")) response.headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  return response;
}

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const csp = contentSecurityPolicy(newNonce(), {
    dev: env.NODE_ENV === "development",
    https: env.appOrigin.startsWith("https:"),
  });
  // State-changing requests outside next-auth (which checks its own CSRF token): server actions above all.
  if (
    !SAFE_METHODS.has(request.method) &&
    !pathname.startsWith("/api/auth/") &&
    !isSameOriginRequest(request.headers, env.appOrigin)
  ) {
    return withSecurityHeaders(
      NextResponse.json({ ok: false, code: "CROSS_ORIGIN", error: errorMessages.CROSS_ORIGIN }, { status: 403 }),
      csp,
    );
  }
  const hasSession =
    request.cookies.has("next-auth.session-token") || request.cookies.has("__Secure-next-auth.session-token");
  if (!hasSession && CONSOLE_PREFIXES.some((p) => pathname === p || pathname.startsWith(`${p}/`))) {
    const url = request.nextUrl.clone();
    url.pathname = "/sign-in";
    url.search = `?callbackUrl=${encodeURIComponent(pathname + search)}`;
    return withSecurityHeaders(NextResponse.redirect(url), csp);
  }
  const headers = new Headers(request.headers);
  headers.set("x-twofold-path", pathname + search);
  // Next reads the nonce from the request's policy and puts it on the scripts it renders.
  headers.set("Content-Security-Policy", csp);
  return withSecurityHeaders(NextResponse.next({ request: { headers } }), csp);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
