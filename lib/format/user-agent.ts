// A person-readable device name from a User-Agent header, shared by the audit log and the sessions list.

/** "Chrome on macOS" from a user agent string; the raw string stays available in a tooltip and the CSV. */
export function shortUserAgent(userAgent: string | null): string {
  if (!userAgent) return "";
  const browser = /Edg\//.test(userAgent)
    ? "Edge"
    : /Chrome\//.test(userAgent)
      ? "Chrome"
      : /Firefox\//.test(userAgent)
        ? "Firefox"
        : /Safari\//.test(userAgent)
          ? "Safari"
          : /curl\//i.test(userAgent)
            ? "curl"
            : null;
  const os = /Windows/.test(userAgent)
    ? "Windows"
    : /Android/.test(userAgent)
      ? "Android"
      : /iPhone|iPad/.test(userAgent)
        ? "iOS"
        : /Mac OS X/.test(userAgent)
          ? "macOS"
          : /Linux/.test(userAgent)
            ? "Linux"
            : null;
  if (browser) return os ? `${browser} on ${os}` : browser;
  return userAgent.length > 32 ? `${userAgent.slice(0, 31)}…` : userAgent;
}
