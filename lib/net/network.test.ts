import { describe, expect, it } from "vitest";
import { networkOf } from "./network";

describe("networkOf: an IPv4 /24 or an IPv6 /48", () => {
  it.each([
    ["203.0.113.9", "203.0.113.0/24"],
    ["203.0.113.250", "203.0.113.0/24"],
    ["2001:db8:1234:5678::1", "2001:db8:1234::/48"],
    ["2001:0db8:1234:ffff:0:0:0:2", "2001:db8:1234::/48"],
    ["2001:db8::1", "2001:db8:0::/48"],
    ["::1", "0:0:0::/48"],
    ["::ffff:198.51.100.7", "198.51.100.0/24"],
    ["[2001:db8:aa::5]", "2001:db8:aa::/48"],
    ["fe80::1%eth0", "fe80:0:0::/48"],
  ])("%s → %s", (ip, network) => {
    expect(networkOf(ip)).toBe(network);
  });

  it("is null for what is not an address", () => {
    for (const v of [null, undefined, "", "unknown", "1.2.3", "2001:db8:::1", "999.1.1.1"])
      expect(networkOf(v)).toBeNull();
  });
});
