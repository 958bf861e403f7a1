import { type NextRequest, NextResponse } from "next/server";

// Convenience only: sends visitors without a session cookie to sign-in and tells pages their own path.
// It never decides access: every page, action and route handler checks the session in the database
// through lib/auth/guards.ts (CVE-2025-29927: proxy can be skipped).

const CONSOLE_PREFIXES = ["/dashboard", "/profile", "/settings", "/audit-log"];

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const hasSession =
    request.cookies.has("next-auth.session-token") || request.cookies.has("__Secure-next-auth.session-token");
  if (!hasSession && CONSOLE_PREFIXES.some((p) => pathname === p || pathname.startsWith(`${p}/`))) {
    const url = request.nextUrl.clone();
    url.pathname = "/sign-in";
    url.search = `?callbackUrl=${encodeURIComponent(pathname + search)}`;
    return NextResponse.redirect(url);
  }
  const headers = new Headers(request.headers);
  headers.set("x-twofold-path", pathname + search);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
