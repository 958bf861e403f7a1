import { headers } from "next/headers";
import { env } from "../env";
import { clientIp, SOCKET_IP_HEADER } from "../net/client-ip";
import type { RequestContext } from "../services/audit/audit-log";

/** IP (socket / trusted proxies, S29) and user agent of the current request, for audit rows and throttles. */
export async function requestContext(): Promise<RequestContext> {
  const h = await headers();
  return {
    ip: clientIp(h.get(SOCKET_IP_HEADER), h.get("x-forwarded-for"), env.TRUSTED_PROXIES),
    userAgent: h.get("user-agent"),
  };
}

export function requestContextFromHeaders(h: Headers | Record<string, string | undefined>): RequestContext {
  const get = (name: string) => (h instanceof Headers ? h.get(name) : (h[name] ?? null));
  return {
    ip: clientIp(get(SOCKET_IP_HEADER), get("x-forwarded-for"), env.TRUSTED_PROXIES),
    userAgent: get("user-agent"),
  };
}
