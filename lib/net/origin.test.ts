import { describe, expect, it } from "vitest";
import { isSameOriginRequest } from "./origin";

const APP = "https://twofold.example.com";

describe("isSameOriginRequest: the configured app origin is the only one (S34, item 13)", () => {
  const cases: [string, Record<string, string>, boolean][] = [
    ["the app's own Origin", { origin: APP, host: "twofold.example.com" }, true],
    ["the app's Origin with Sec-Fetch-Site same-origin", { origin: APP, "sec-fetch-site": "same-origin" }, true],
    ["the app's Origin behind a proxy that rewrites Host", { origin: APP, host: "10.0.0.5:3000" }, true],
    ["a foreign Origin", { origin: "http://evil.example", host: "twofold.example.com" }, false],
    [
      "a foreign Origin with a forged X-Forwarded-Host matching it",
      { origin: "http://evil.example", host: "twofold.example.com", "x-forwarded-host": "evil.example" },
      false,
    ],
    ["a foreign Origin with a Host header matching it", { origin: "http://evil.example", host: "evil.example" }, false],
    ["no Origin", { host: "twofold.example.com" }, false],
    ["Origin: null", { origin: "null" }, false],
    ["a malformed Origin", { origin: "not a url" }, false],
    ["http instead of https", { origin: "http://twofold.example.com" }, false],
    ["another port", { origin: "https://twofold.example.com:8443" }, false],
    ["a subdomain", { origin: "https://evil.twofold.example.com" }, false],
    ["a suffix", { origin: "https://twofold.example.com.evil.example" }, false],
    ["the app's Origin but Sec-Fetch-Site cross-site", { origin: APP, "sec-fetch-site": "cross-site" }, false],
    ["the app's Origin but Sec-Fetch-Site same-site", { origin: APP, "sec-fetch-site": "same-site" }, false],
  ];
  it.each(cases)("%s", (_name, headers, expected) => {
    expect(isSameOriginRequest(new Headers(headers), APP)).toBe(expected);
  });
});
