import { describe, expect, it } from "vitest";
import { countryOf, placeName } from "./country";

// The offline IP-to-country table (issue 11 item 3): public addresses of well-known networks, and "unknown" for every
// non-public range.
describe("countryOf", () => {
  it.each([
    ["81.2.69.142", "GB"],
    ["193.99.144.80", "DE"],
    ["8.8.8.8", "US"],
    ["133.242.0.3", "JP"],
    ["2003:e4::1", "DE"],
    ["2001:4860:4860::8888", "US"],
    ["::ffff:81.2.69.142", "GB"],
    [" 193.99.144.80 ", "DE"],
  ])("%s → %s", (ip, country) => {
    expect(countryOf(ip)).toBe(country);
  });

  it.each([
    "127.0.0.1",
    "::1",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.20",
    "100.64.0.1",
    "169.254.1.1",
    "fe80::1%eth0",
    "fd00::1",
    "0.0.0.0",
    "255.255.255.255",
    "224.0.0.1",
    "not an ip",
    "",
    null,
    undefined,
  ])("%s → unknown", (ip) => {
    expect(countryOf(ip)).toBeNull();
  });

  it("names places for people", () => {
    expect(placeName("DE")).toBe("Germany");
    expect(placeName(null)).toBe("Unknown location");
  });
});
