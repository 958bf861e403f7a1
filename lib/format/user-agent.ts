import Bowser from "bowser";

// A person-readable device name from a User-Agent header, shared by the audit log and the sessions list. Parsing
// user agents is not our domain: bowser (MIT, kept) knows the browsers; we only choose the words.

/** Bowser's names, shortened to what people call them. */
const BROWSER_LABELS: Record<string, string> = {
  "Microsoft Edge": "Edge",
  "Samsung Internet for Android": "Samsung Internet",
  "Yandex Browser": "Yandex Browser",
  "Internet Explorer": "Internet Explorer",
};

const MAX_RAW = 32;

/** "Chrome on macOS" from a user agent string; the raw string stays available in a tooltip and the CSV. */
export function shortUserAgent(userAgent: string | null): string {
  if (!userAgent) return "";
  const parsed = Bowser.parse(userAgent);
  const name = parsed.browser.name;
  if (!name) return userAgent.length > MAX_RAW ? `${userAgent.slice(0, MAX_RAW - 1)}…` : userAgent;
  const browser = BROWSER_LABELS[name] ?? name;
  if (parsed.platform.type === "bot") return `${browser} (bot)`;
  const os = parsed.os.name === "iOS" && parsed.platform.type === "tablet" ? "iPadOS" : parsed.os.name;
  return os ? `${browser} on ${os}` : browser;
}

/** What the sessions list and every mail call a device: "Chrome on macOS", or "Unknown device" without a user agent. */
export function deviceName(userAgent: string | null | undefined): string {
  return shortUserAgent(userAgent ?? null) || "Unknown device";
}
