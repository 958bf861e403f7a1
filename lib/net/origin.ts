// The one same-origin rule for state-changing requests (S34, issue 9 item 13): the request's Origin must be the
// configured app origin (NEXTAUTH_URL's). Host and X-Forwarded-Host are never consulted: a client can send either.
// Used by defineAction/assertSameOrigin (the guard) and by proxy.ts (a clear 403 before Next's own check answers 500).

/** Headers of the request, as `Headers` or Next's read-only headers. */
interface HeaderSource {
  get(name: string): string | null;
}

export function isSameOriginRequest(headers: HeaderSource, appOrigin: string): boolean {
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin") return false;
  const origin = headers.get("origin");
  if (!origin || origin === "null") return false;
  try {
    return new URL(origin).origin === new URL(appOrigin).origin;
  } catch {
    return false;
  }
}
