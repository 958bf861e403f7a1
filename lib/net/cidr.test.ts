import { describe, expect, it } from "vitest";
import { countInside, entryConflicts, matchingEntry, parseAllowlistEntry, rangesOverlap } from "./cidr";

// S31: allowlist entries are validated (IPv4, IPv6, CIDR), too-broad ranges refused, normalised before they are stored.

describe("parseAllowlistEntry: accepted, and what is stored", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7/32", 0],
    ["203.0.113.0/24", "203.0.113.0/24", 0],
    ["  198.51.100.0/24\t", "198.51.100.0/24", 0], // whitespace trimmed
    ["10.0.0.0/8", "10.0.0.0/8", 0], // the broadest IPv4 range allowed
    ["10.1.2.3/16", "10.1.0.0/16", 1], // host bits cleared (and said so)
    ["192.0.2.255/31", "192.0.2.254/31", 1],
    ["127.0.0.1", "127.0.0.1/32", 0],
    ["2001:db8::1", "2001:db8::1/128", 0],
    ["2001:DB8:0:0::/48", "2001:db8::/48", 0], // upper case and zeros: one spelling
    ["2001:db8::/32", "2001:db8::/32", 0], // the broadest IPv6 range allowed
    ["2001:db8:abcd:1234::5/64", "2001:db8:abcd:1234::/64", 1],
    ["::1", "::1/128", 0],
    ["::ffff:203.0.113.7", "203.0.113.7/32", 1], // IPv4-mapped IPv6 → IPv4
    ["::ffff:10.20.0.0/112", "10.20.0.0/16", 1],
    ["::ffff:cb00:7107", "203.0.113.7/32", 1], // mapped, written in hex
    ["::ffff:10.20.30.40/104", "10.0.0.0/8", 2], // mapped and host bits
  ])("%j → %s", (raw, cidr, notes) => {
    const r = parseAllowlistEntry(raw);
    expect(r).toMatchObject({ ok: true, cidr });
    expect(r.ok && r.notes.length).toBe(notes);
  });
});

describe("parseAllowlistEntry: refused, with a reason", () => {
  it.each([
    ["", /Enter an IP address/],
    ["   ", /Enter an IP address/],
    ["0.0.0.0/0", /too broad/],
    ["10.0.0.0/7", /\/7 is too broad/],
    ["128.0.0.0/1", /too broad/],
    ["::/0", /too broad/],
    ["2001:db8::/31", /too broad/],
    ["::ffff:10.0.0.0/95", /needs a range of \/96/],
    ["::ffff:0.0.0.0/96", /\/0 is too broad/], // the mapped /96 is IPv4's /0
    ["fe80::1%eth0", /Zone ids/],
    ["fe80::/64%25en0", /Zone ids/],
    ["1.2.3.4/33", /\/0 to \/32/],
    ["2001:db8::/129", /\/0 to \/128/],
    ["1.2.3.4/", /whole number/],
    ["1.2.3.4/08", /whole number/],
    ["1.2.3.4/ 8", /whole number/],
    ["1.2.3.4/-8", /whole number/],
    ["1.2.3", /Enter an IPv4 address/],
    ["256.1.1.1", /Enter an IPv4 address/],
    ["010.0.0.1", /Enter an IPv4 address/], // octal-looking: ambiguous, refused
    ["0x7f.0.0.1", /Enter an IPv4 address/],
    ["3232235777", /Enter an IPv4 address/], // an address as one number
    ["2001:db8:::1", /Enter an IPv4 address/],
    ["[2001:db8::1]", /Enter an IPv4 address/],
    ["example.com", /Enter an IPv4 address/],
    ["1.2.3.4, 5.6.7.8", /whole number|Enter an IPv4/],
    ["1.2.3.4\n5.6.7.8", /Enter an IPv4 address/],
    [`${"1".repeat(70)}`, /too long/],
  ])("%j", (raw, reason) => {
    const r = parseAllowlistEntry(raw);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(reason);
  });
});

describe("duplicates and overlaps", () => {
  const existing = [
    { cidr: "10.0.0.0/16", label: "HQ" },
    { cidr: "2001:db8:1::/48", label: "HQ v6" },
    { cidr: "203.0.113.7/32", label: "VPN" },
  ];
  it("reports an exact duplicate by its label", () => {
    expect(entryConflicts("10.0.0.0/16", existing)).toEqual({ duplicateOf: "HQ", overlaps: [] });
  });
  it("reports ranges that contain the new one, and ranges inside it", () => {
    expect(entryConflicts("10.0.5.0/24", existing).overlaps).toEqual(["HQ (10.0.0.0/16)"]);
    expect(entryConflicts("10.0.0.0/8", existing).overlaps).toEqual(["HQ (10.0.0.0/16)"]);
    expect(entryConflicts("203.0.113.0/24", existing).overlaps).toEqual(["VPN (203.0.113.7/32)"]);
    expect(entryConflicts("2001:db8::/32", existing).overlaps).toEqual(["HQ v6 (2001:db8:1::/48)"]);
  });
  it("never mixes IPv4 and IPv6, and neighbours do not overlap", () => {
    expect(entryConflicts("10.1.0.0/16", existing)).toEqual({ duplicateOf: null, overlaps: [] });
    expect(rangesOverlap("10.0.0.0/16", "::a00:0/112")).toBe(false);
    expect(rangesOverlap("2001:db8:2::/48", "2001:db8:1::/48")).toBe(false);
  });
});

describe("matching a client address", () => {
  const entries = [
    { cidr: "10.0.0.0/16", label: "HQ" },
    { cidr: "2001:db8:1::/48", label: "HQ v6" },
  ];
  it.each([
    ["10.0.200.1", "HQ"],
    ["::ffff:10.0.0.9", "HQ"], // an IPv4 client seen through an IPv6 socket
    ["2001:db8:1:ff::1", "HQ v6"],
    ["[2001:db8:1::2]", "HQ v6"],
    ["10.1.0.1", null],
    ["2001:db8:2::1", null],
    [null, null],
    ["", null],
    ["not-an-ip", null],
    ["10.0.0.1%eth0", null],
  ])("%j → %s", (ip, label) => {
    expect(matchingEntry(ip, entries)?.label ?? null).toBe(label);
  });
  it("counts sign-ins inside any range (the preview)", () => {
    expect(
      countInside(["10.0.0.1", "10.0.9.9", "192.0.2.1", null, "2001:db8:1::1"], ["10.0.0.0/16", "2001:db8::/32"]),
    ).toBe(3);
    expect(countInside(["10.0.0.1"], [])).toBe(0);
  });
});
