import { describe, expect, it } from "vitest";
import { clientFingerprint, isSameClientReuse } from "./same-client";

const chrome =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0";
const firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const t = new Date("2026-12-01T12:00:00Z");
const later = (s: number) => new Date(t.getTime() + s * 1000);
const last = (context: { ip: string | null; userAgent: string | null }) => ({
  lastUsedAt: t,
  lastUsedClient: clientFingerprint(context),
});

describe("the 'code reused' rule: same browser and network within 30 s is a double submit", () => {
  const first = { ip: "203.0.113.9", userAgent: chrome };

  it("same user agent, same /24, within 30 s → same client", () => {
    expect(isSameClientReuse(last(first), { ip: "203.0.113.200", userAgent: chrome }, later(10))).toBe(true);
    expect(isSameClientReuse(last(first), first, later(30))).toBe(true);
  });

  it("same IPv6 /48 → same client; another /48 → not", () => {
    const v6 = { ip: "2001:db8:1:2::10", userAgent: chrome };
    expect(isSameClientReuse(last(v6), { ip: "2001:db8:1:ffff::1", userAgent: chrome }, later(5))).toBe(true);
    expect(isSameClientReuse(last(v6), { ip: "2001:db8:2::1", userAgent: chrome }, later(5))).toBe(false);
  });

  it("another browser, another network, or later than 30 s → an alert", () => {
    expect(isSameClientReuse(last(first), { ip: first.ip, userAgent: firefox }, later(5))).toBe(false);
    expect(isSameClientReuse(last(first), { ip: "198.51.100.7", userAgent: chrome }, later(5))).toBe(false);
    expect(isSameClientReuse(last(first), first, later(31))).toBe(false);
  });

  it("nothing known about the first use, or a request without user agent and address → an alert", () => {
    expect(isSameClientReuse(null, first, later(1))).toBe(false);
    expect(isSameClientReuse({ lastUsedAt: t, lastUsedClient: null }, first, later(1))).toBe(false);
    expect(isSameClientReuse({ lastUsedAt: null, lastUsedClient: clientFingerprint(first) }, first, later(1))).toBe(
      false,
    );
    expect(clientFingerprint({ ip: null, userAgent: null })).toBeNull();
    expect(isSameClientReuse(last({ ip: null, userAgent: null }), { ip: null, userAgent: null }, later(1))).toBe(false);
  });

  it("stores a hash, not the user agent or the address", () => {
    const fp = clientFingerprint(first) ?? "";
    expect(fp).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(fp).not.toContain("203.0.113");
  });
});
