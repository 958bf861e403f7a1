import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import ipaddr from "ipaddr.js";

// Approximate place of an address: its country (ISO 3166-1 alpha-2), from the offline IP-to-country table shipped in
// the npm package @ip-location-db/geo-whois-asn-country (CC0 package; data from the regional internet registries'
// WHOIS, ASNs and published geofeeds, NRO statistics under CC BY 4.0 — README "Approximate place"). Nothing is
// downloaded at run time: a newer table arrives with a package update. Private, loopback, link-local and other
// non-public addresses are "unknown" (null), as is any address the table does not list.

const PACKAGE = "@ip-location-db/geo-whois-asn-country";

// Held for the life of the process, so kept compact (issue 13 target 7): 550,000 ranges in typed arrays, each
// country as its two letters in one 16-bit number, read from the text in place. Arrays of lines, fields and
// two-letter strings left about 60 MB of RSS behind after loading; this leaves 8 MB.
interface Table<T> {
  start: T;
  end: T;
  country: Uint16Array;
}
type V4Table = Table<Uint32Array>;
/** IPv6 ranges by their upper 64 bits (the routing prefix: the table's ranges are whole /64s or wider). */
type V6Table = Table<BigUint64Array>;

let v4: V4Table | null = null;
let v6: V6Table | null = null;

function dataFile(name: string): string {
  // Resolved at run time from the app's directory (opaque to the bundler, so the CSVs are never inlined).
  const require = createRequire(`${process.cwd()}/`);
  return require.resolve(`${PACKAGE}/${name}`);
}

/** Reads a `start,end,CC` file into typed arrays (`make(size)` allocates them), in place: no array of lines or of
 *  fields, which for the 17 MB IPv6 file would be several times its size in short-lived garbage. */
function loadTable<T extends Uint32Array | BigUint64Array>(
  name: string,
  make: (size: number) => T,
  parse: (text: string) => T[number],
): Table<T> {
  const text = readFileSync(dataFile(name), "latin1");
  let size = 1;
  for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) size++;
  const t = { start: make(size), end: make(size), country: new Uint16Array(size) };
  let n = 0;
  for (let at = 0; at < text.length; ) {
    let eol = text.indexOf("\n", at);
    if (eol < 0) eol = text.length;
    const c1 = text.indexOf(",", at);
    const c2 = c1 < 0 ? -1 : text.indexOf(",", c1 + 1);
    if (c2 > 0 && c2 < eol) {
      const code = text.slice(c2 + 1, eol).trim();
      t.start[n] = parse(text.slice(at, c1));
      t.end[n] = parse(text.slice(c1 + 1, c2));
      t.country[n] = code.length === 2 ? (code.charCodeAt(0) << 8) | code.charCodeAt(1) : 0;
      n++;
    }
    at = eol + 1;
  }
  return { start: t.start.subarray(0, n) as T, end: t.end.subarray(0, n) as T, country: t.country.subarray(0, n) };
}

function loadV4(): V4Table {
  v4 ??= loadTable("geo-whois-asn-country-ipv4-num.csv", (n) => new Uint32Array(n), Number);
  return v4;
}

function loadV6(): V6Table {
  v6 ??= loadTable(
    "geo-whois-asn-country-ipv6-num.csv",
    (n) => new BigUint64Array(n),
    (s) => BigInt(s) >> 64n,
  );
  return v6;
}

/** The last range whose start is ≤ value, if value is inside it. */
function find<T extends number | bigint>(
  starts: ArrayLike<T>,
  ends: ArrayLike<T>,
  countries: Uint16Array,
  value: T,
): string | null {
  let lo = 0;
  let hi = starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((starts[mid] as T) <= value) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0 || (ends[found] as T) < value) return null;
  const packed = countries[found] ?? 0;
  const code = String.fromCharCode(packed >> 8, packed & 0xff);
  return /^[A-Z]{2}$/.test(code) && code !== "ZZ" ? code : null;
}

/** ISO country of a public address; null ("unknown") for private, loopback and other non-public or unlisted ones.
 *  A missing or unreadable table also gives null (logged once): unknown places are never familiar, so this fails
 *  towards asking for the code, never towards skipping it. */
export function countryOf(ip: string | null | undefined): string | null {
  try {
    return lookup(ip);
  } catch (e) {
    if (!loadFailed) console.error("IP-to-country table unavailable; every place is unknown", e);
    loadFailed = true;
    return null;
  }
}
let loadFailed = false;

function lookup(ip: string | null | undefined): string | null {
  const text =
    ip
      ?.trim()
      .replace(/^\[|\]$/g, "")
      .split("%")[0] ?? "";
  if (!ipaddr.isValid(text)) return null;
  let addr = ipaddr.parse(text);
  if (addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress())
    addr = (addr as ipaddr.IPv6).toIPv4Address();
  if (addr.range() !== "unicast") return null; // private, loopback, link-local, reserved, carrier-grade NAT…
  if (addr.kind() === "ipv4") {
    const [a = 0, b = 0, c = 0, d = 0] = addr.toByteArray();
    const value = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
    const t = loadV4();
    return find(t.start, t.end, t.country, value);
  }
  const value = addr
    .toByteArray()
    .slice(0, 8)
    .reduce((n, byte) => (n << 8n) | BigInt(byte), 0n);
  const t = loadV6();
  return find(t.start, t.end, t.country, value);
}

/** Reads both tables now (server start), so no sign-in pays for it; errors are left for the first lookup to show. */
export function warmCountryTable(): void {
  try {
    loadV4();
    loadV6();
  } catch {
    // countryOf logs it and answers "unknown"
  }
}

const regionNames = new Intl.DisplayNames(["en"], { type: "region" });

/** "Germany", or "Unknown location" — for lists and mails. */
export function placeName(country: string | null | undefined): string {
  if (!country) return "Unknown location";
  try {
    return regionNames.of(country) ?? country;
  } catch {
    return country;
  }
}
