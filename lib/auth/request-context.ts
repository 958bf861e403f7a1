import { headers } from "next/headers";
import { env } from "../env";
import { clientIp, SOCKET_IP_HEADER } from "../net/client-ip";
import type { RequestContext } from "../services/audit/audit-log";
import { readTimeZoneCookie } from "./cookies";

/** IP (S29: the socket address, or X-Forwarded-For only across configured trusted proxies) and user agent of the
 *  current request, for audit rows and throttles; and the browser's time zone, for times in the words of a refusal. */
export async function requestContext(): Promise<RequestContext> {
  const h = await headers();
  return {
    ip: clientIp(h.get(SOCKET_IP_HEADER), h.get("x-forwarded-for"), env.TRUSTED_PROXIES),
    userAgent: h.get("user-agent"),
    timeZone: await readTimeZoneCookie(),
  };
}

/** The browser's time zone (UTC until it has told us), for the times a page shows. */
export async function requestTimeZone(): Promise<string> {
  return readTimeZoneCookie();
}

/** The same, from a route handler's Request headers. */
export function requestContextFromHeaders(h: Headers): RequestContext {
  return {
    ip: clientIp(h.get(SOCKET_IP_HEADER), h.get("x-forwarded-for"), env.TRUSTED_PROXIES),
    userAgent: h.get("user-agent"),
  };
}
