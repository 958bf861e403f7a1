import ipaddr from "ipaddr.js";

/** The header our HTTP server (scripts/server.ts) sets from the socket; any incoming copy is removed first. */
export const SOCKET_IP_HEADER = "x-twofold-socket-ip";

function normalize(ip: string): string | null {
  const trimmed = ip.trim().replace(/^\[|\]$/g, "");
  if (!ipaddr.isValid(trimmed)) return null;
  const parsed = ipaddr.parse(trimmed);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    return (parsed as ipaddr.IPv6).toIPv4Address().toString();
  }
  return parsed.toString();
}

export function matchesAny(ip: string, cidrs: readonly string[]): boolean {
  const normalized = normalize(ip);
  if (!normalized) return false;
  const addr = ipaddr.parse(normalized);
  return cidrs.some((cidr) => {
    try {
      const [range, bits] = cidr.includes("/")
        ? ipaddr.parseCIDR(cidr)
        : [ipaddr.parse(cidr), cidr.includes(":") ? 128 : 32];
      return addr.kind() === range.kind() && addr.match(range, bits);
    } catch {
      return false;
    }
  });
}

/**
 * The client IP (S29): the socket address, unless the socket peer is a configured trusted proxy, in which
 * case X-Forwarded-For is walked from the right, skipping trusted proxies; the first untrusted hop wins.
 */
export function clientIp(
  socketIp: string | null | undefined,
  forwardedFor: string | null | undefined,
  trustedProxies: readonly string[],
): string | null {
  const peer = socketIp ? normalize(socketIp) : null;
  if (!peer) return null;
  if (!forwardedFor || !matchesAny(peer, trustedProxies)) return peer;
  const hops = forwardedFor
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalize(hops[i] ?? "");
    if (!hop) return peer; // a malformed hop: stop trusting the chain
    if (!matchesAny(hop, trustedProxies)) return hop;
  }
  return peer;
}
