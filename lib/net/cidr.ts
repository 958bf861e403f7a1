import ipaddr from "ipaddr.js";

// Trusted-network allowlist entries (S31): an IPv4/IPv6 address or CIDR range, validated with ipaddr.js and stored
// normalised ("address/prefix": an address alone is /32 or /128, IPv4-mapped IPv6 becomes IPv4, host bits cleared).
// Pure: used by the form in the browser (inline errors, the live preview) and by the service on the server.

/** The broadest ranges an organization may trust: a /8 of IPv4, a /32 of IPv6 (a whole provider's block at most). */
export const MIN_PREFIX = { ipv4: 8, ipv6: 32 } as const;

export type AllowlistEntry =
  | {
      ok: true;
      /** Normalised "address/prefix". */
      cidr: string;
      version: 4 | 6;
      prefix: number;
      /** What normalisation changed, in words for the form ("Host bits cleared: 10.1.2.3/16 is 10.1.0.0/16."). */
      notes: string[];
    }
  | { ok: false; error: string };

const fail = (error: string): AllowlistEntry => ({ ok: false, error });

/** One allowlist entry as typed by a person: trimmed, validated, normalised; or why it is refused. */
export function parseAllowlistEntry(raw: string): AllowlistEntry {
  const value = raw.trim();
  if (value === "") return fail("Enter an IP address or a range such as 203.0.113.0/24.");
  if (value.length > 64) return fail("That is too long for an IP address or range.");
  if (value.includes("%")) return fail("Zone ids (the part after %) name a local interface: leave them out.");
  const slash = value.indexOf("/");
  const addressPart = slash === -1 ? value : value.slice(0, slash);
  const prefixPart = slash === -1 ? null : value.slice(slash + 1);
  if (prefixPart !== null && !/^(0|[1-9]\d{0,2})$/.test(prefixPart))
    return fail("The range size after / must be a whole number, such as /24.");
  const notes: string[] = [];

  let address: ipaddr.IPv4 | ipaddr.IPv6;
  if (ipaddr.IPv4.isValidFourPartDecimal(addressPart)) address = ipaddr.IPv4.parse(addressPart);
  else if (addressPart.includes(":") && ipaddr.IPv6.isValid(addressPart)) address = ipaddr.IPv6.parse(addressPart);
  else
    return fail(
      "Enter an IPv4 address (203.0.113.7), an IPv6 address (2001:db8::1) or a range with / (203.0.113.0/24).",
    );

  let prefix = prefixPart === null ? (address.kind() === "ipv4" ? 32 : 128) : Number(prefixPart);
  if (address.kind() === "ipv4" && prefix > 32) return fail("An IPv4 range ends in /0 to /32.");
  if (address.kind() === "ipv6" && prefix > 128) return fail("An IPv6 range ends in /0 to /128.");

  if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    if (prefix < 96) return fail("An IPv4-mapped address (::ffff:…) needs a range of /96 or longer: write it as IPv4.");
    const v4 = (address as ipaddr.IPv6).toIPv4Address();
    notes.push(`IPv4-mapped IPv6 written as IPv4: ${v4.toString()}${prefixPart === null ? "" : `/${prefix - 96}`}.`);
    address = v4;
    prefix -= 96;
  }

  const version = address.kind() === "ipv4" ? 4 : 6;
  const min = version === 4 ? MIN_PREFIX.ipv4 : MIN_PREFIX.ipv6;
  if (prefix < min)
    return fail(
      `/${prefix} is too broad: trust at most a /${min} of ${version === 4 ? "IPv4" : "IPv6"} (list your office ranges instead).`,
    );

  const network =
    version === 4
      ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${prefix}`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${prefix}`);
  const cidr = `${network.toString()}/${prefix}`;
  if (network.toString() !== address.toString())
    notes.push(`Host bits cleared: ${address.toString()}/${prefix} is the range ${cidr}.`);
  return { ok: true, cidr, version, prefix, notes };
}

function parseStored(cidr: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | null {
  try {
    return ipaddr.parseCIDR(cidr);
  } catch {
    return null;
  }
}

/** Whether two normalised ranges share any address (one contains the other's network address). */
export function rangesOverlap(a: string, b: string): boolean {
  const x = parseStored(a);
  const y = parseStored(b);
  if (!x || !y || x[0].kind() !== y[0].kind()) return false;
  const bits = Math.min(x[1], y[1]);
  return x[0].match(y[0], bits);
}

export interface EntryConflicts {
  /** The label of an entry with exactly this range. */
  duplicateOf: string | null;
  /** Entries that overlap it (contain it or lie inside it): "Office (10.0.0.0/16)". */
  overlaps: string[];
}

/** Duplicates and overlaps of a normalised range with an organization's existing entries. */
export function entryConflicts(cidr: string, existing: readonly { cidr: string; label: string }[]): EntryConflicts {
  const duplicate = existing.find((e) => e.cidr === cidr);
  return {
    duplicateOf: duplicate ? duplicate.label : null,
    overlaps: existing
      .filter((e) => e.cidr !== cidr && rangesOverlap(cidr, e.cidr))
      .map((e) => `${e.label} (${e.cidr})`),
  };
}

/** The address as the allowlist compares it (IPv4-mapped IPv6 as IPv4; brackets and zone ids removed), or null. */
export function normaliseAddress(ip: string | null | undefined): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const value = (ip ?? "").trim().replace(/^\[|\]$/g, "");
  if (!value || value.includes("%") || !ipaddr.isValid(value)) return null;
  const parsed = ipaddr.parse(value);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    return (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed;
}

/** The first of `entries` whose range holds `ip` (null: none, or `ip` is not an address). */
export function matchingEntry<E extends { cidr: string }>(
  ip: string | null | undefined,
  entries: readonly E[],
): E | null {
  const address = normaliseAddress(ip);
  if (!address) return null;
  for (const entry of entries) {
    const range = parseStored(entry.cidr);
    if (range && range[0].kind() === address.kind() && address.match(range[0], range[1])) return entry;
  }
  return null;
}

/** How many of `ips` fall inside any of `cidrs` (the preview "N of the last M sign-ins came from these networks"). */
export function countInside(ips: readonly (string | null)[], cidrs: readonly string[]): number {
  const entries = cidrs.map((cidr) => ({ cidr }));
  return ips.filter((ip) => matchingEntry(ip, entries) !== null).length;
}
