import { describe, expect, it } from "vitest";
import { deviceName, shortUserAgent } from "./user-agent";

// Real user agents of common browsers (issue 9, item 15), each with the exact label people see in the sessions list
// and the audit log.
const CASES: [string, string, string][] = [
  [
    "Chrome on Windows",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Chrome on Windows",
  ],
  [
    "Chrome on macOS",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Chrome on macOS",
  ],
  [
    "Edge on Windows",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86",
    "Edge on Windows",
  ],
  [
    "Firefox on Windows",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Firefox on Windows",
  ],
  ["Firefox on Linux", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on Linux"],
  [
    "Safari on macOS",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Safari/605.1.15",
    "Safari on macOS",
  ],
  [
    "Safari on iPhone",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Mobile/15E148 Safari/604.1",
    "Safari on iOS",
  ],
  [
    "Safari on iPad",
    "Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.7 Mobile/15E148 Safari/604.1",
    "Safari on iPadOS",
  ],
  [
    "Chrome on Android",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
    "Chrome on Android",
  ],
  [
    "Samsung Internet",
    "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/27.0 Chrome/125.0.0.0 Mobile Safari/537.36",
    "Samsung Internet on Android",
  ],
  [
    "Opera",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/116.0.0.0",
    "Opera on Windows",
  ],
  [
    "Chrome on iOS (CriOS)",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.134 Mobile/15E148 Safari/604.1",
    "Chrome on iOS",
  ],
  [
    "Firefox on iOS (FxiOS)",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/133.0 Mobile/15E148 Safari/605.1.15",
    "Firefox on iOS",
  ],
  [
    "Vivaldi",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Vivaldi/7.0.3495.27",
    "Vivaldi on Windows",
  ],
  [
    "Yandex",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 YaBrowser/24.12.0.0 Safari/537.36",
    "Yandex Browser on Windows",
  ],
  [
    "Edge on Android",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 EdgA/131.0.2903.87",
    "Edge on Android",
  ],
  [
    "Edge on iOS",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 EdgiOS/131.2903.92 Mobile/15E148 Safari/605.1.15",
    "Edge on iOS",
  ],
  [
    "Chrome on ChromeOS",
    "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Chrome on Chrome OS",
  ],
  ["Googlebot", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Googlebot (bot)"],
  [
    "Googlebot smartphone (a bot, though it names Chrome on Android)",
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.139 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Googlebot (bot)",
  ],
  ["curl (unknown to the parser: shown as sent)", "curl/8.5.0", "curl/8.5.0"],
  [
    "an unknown client by its product name",
    "SomeInternalMonitor/1.0 (+https://monitor.example.test/about)",
    "SomeInternalMonitor",
  ],
  ["an unknown long token is shortened", `x${"y".repeat(40)}`, `x${"y".repeat(30)}…`],
];

describe("shortUserAgent names common browsers (issue 9, item 15)", () => {
  it.each(CASES)("%s", (_name, userAgent, label) => {
    expect(shortUserAgent(userAgent)).toBe(label);
  });

  it("is empty for no user agent (the page says 'Unknown device')", () => {
    expect(shortUserAgent(null)).toBe("");
    expect(shortUserAgent("")).toBe("");
  });
});

describe("deviceName: the one name of a device in mails and the sessions list (issue 10, item 8)", () => {
  it.each(CASES)("%s", (_name, userAgent, label) => {
    expect(deviceName(userAgent)).toBe(label);
  });

  it("says 'Unknown device' when there is no user agent, never an empty string", () => {
    expect(deviceName(null)).toBe("Unknown device");
    expect(deviceName(undefined)).toBe("Unknown device");
    expect(deviceName("")).toBe("Unknown device");
  });

  it("never shows a raw browser user agent", () => {
    for (const [, userAgent] of CASES.filter(([, ua]) => ua.startsWith("Mozilla/")))
      expect(deviceName(userAgent)).not.toMatch(/Mozilla|AppleWebKit|KHTML/);
  });
});
