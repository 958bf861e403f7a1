import { describe, expect, it } from "vitest";
import { clientIp, matchesAny } from "./client-ip";

describe("clientIp (S29)", () => {
  it("uses the socket address when no proxy is trusted, ignoring a spoofed X-Forwarded-For", () => {
    expect(clientIp("203.0.113.9", "10.0.0.1", [])).toBe("203.0.113.9");
  });
  it("walks X-Forwarded-For from the right across trusted proxies only", () => {
    expect(clientIp("10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.5", ["10.0.0.0/8"])).toBe("198.51.100.7");
  });
  it("does not let a client-supplied left-most value win", () => {
    expect(clientIp("10.0.0.2", "192.168.1.1, 198.51.100.7", ["10.0.0.0/8"])).toBe("198.51.100.7");
  });
  it("ignores X-Forwarded-For from an untrusted socket peer", () => {
    expect(clientIp("198.51.100.1", "10.1.1.1", ["10.0.0.0/8"])).toBe("198.51.100.1");
  });
  it("normalizes IPv4-mapped IPv6 socket addresses", () => {
    expect(clientIp("::ffff:127.0.0.1", null, [])).toBe("127.0.0.1");
  });
  it("falls back to the peer on a malformed hop", () => {
    expect(clientIp("10.0.0.2", "not-an-ip", ["10.0.0.0/8"])).toBe("10.0.0.2");
  });
  it("returns null without a socket address", () => {
    expect(clientIp(null, "1.2.3.4", [])).toBeNull();
  });
});

describe("matchesAny", () => {
  it("matches IPv4 and IPv6 CIDRs and single addresses", () => {
    expect(matchesAny("192.168.4.20", ["192.168.0.0/16"])).toBe(true);
    expect(matchesAny("2001:db8::1", ["2001:db8::/32"])).toBe(true);
    expect(matchesAny("2001:db9::1", ["2001:db8::/32"])).toBe(false);
    expect(matchesAny("127.0.0.1", ["127.0.0.1"])).toBe(true);
    expect(matchesAny("127.0.0.1", ["::1"])).toBe(false);
  });
});
