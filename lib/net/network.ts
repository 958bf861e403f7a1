import { isIPv4, isIPv6 } from "node:net";

// The network an address belongs to, as a person's connection sees it: an IPv4 /24 or an IPv6 /48 (a home or office
// router hands out addresses inside one of these). Used to tell "the same browser on the same network" from another
// client (issue 10, item 8: a reused code from the same place is a double submit, not an attack).

function expandIPv6(ip: string): number[] | null {
  const [head = "", tail, extra] = ip.split("::");
  if (extra !== undefined) return null;
  const part = (s: string) => (s === "" ? [] : s.split(":"));
  let left = part(head);
  let right = tail === undefined ? [] : part(tail);
  // An embedded IPv4 tail (::ffff:192.0.2.1) is two groups.
  const last = (tail === undefined ? left : right).at(-1);
  if (last && isIPv4(last)) {
    const [a = 0, b = 0, c = 0, d = 0] = last.split(".").map(Number);
    const groups = [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
    if (tail === undefined) left = [...left.slice(0, -1), ...groups];
    else right = [...right.slice(0, -1), ...groups];
  }
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 0) return null;
  const groups = [...left, ...Array<string>(Math.max(missing, 0)).fill("0"), ...right].map((g) =>
    Number.parseInt(g, 16),
  );
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/** "192.0.2.0/24" or "2001:db8:1::/48"; an IPv4-mapped IPv6 address is its IPv4 network; null when not an address. */
export function networkOf(ip: string | null | undefined): string | null {
  const value =
    ip
      ?.trim()
      .replace(/^\[|\]$/g, "")
      .split("%")[0] ?? "";
  if (isIPv4(value)) return `${value.split(".").slice(0, 3).join(".")}.0/24`;
  if (!isIPv6(value)) return null;
  const groups = expandIPv6(value);
  if (!groups) return null;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi = 0, lo = 0] = groups.slice(6);
    return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.0/24`;
  }
  return `${groups
    .slice(0, 3)
    .map((g) => g.toString(16))
    .join(":")}::/48`;
}
