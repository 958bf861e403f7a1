// Dates shown to people, in THEIR time zone (issue 10 item 5; docs/decisions/0012-time-zones.md). The browser tells
// the server its IANA zone in a cookie (components/shell/time-zone-sync.tsx); pages read it (lib/auth/cookies.ts)
// and pass it here, and client components get the same zone from <TimeZoneProvider>, so the server's HTML and the
// hydrated page say the same thing. Without a zone (first visit, mails, CSV) everything is UTC and says so. Every time
// of day carries its zone's short name ("14:42 GMT-5", "20:42 CET", "19:42 UTC"). One spelling for a date that never
// happened: "Never".

export const NEVER = "Never";
export const UTC = "UTC";

/** The cookie in which the browser states its time zone (written by the browser, read by lib/auth/cookies.ts). */
export const TIME_ZONE_COOKIE = "twofold-tz";

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(kind: "day" | "dateTime" | "timeOfDay" | "time" | "deadline", timeZone: string) {
  const key = `${kind}|${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    const zone = { timeZone, timeZoneName: "short" } as const;
    const options: Intl.DateTimeFormatOptions =
      kind === "day"
        ? { day: "numeric", month: "short", year: "numeric", timeZone }
        : kind === "dateTime"
          ? { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", ...zone }
          : kind === "deadline"
            ? {
                weekday: "short",
                day: "numeric",
                month: "short",
                year: "numeric",
                hour: "2-digit",
                minute: "2-digit",
                ...zone,
              }
            : kind === "timeOfDay"
              ? { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", ...zone }
              : { hour: "2-digit", minute: "2-digit", hourCycle: "h23", ...zone };
    f = new Intl.DateTimeFormat("en-GB", options);
    formatters.set(key, f);
  }
  return f;
}

/** An IANA time zone the runtime knows ("America/New_York"), or UTC for anything else (missing, forged, unknown). */
export function normalizeTimeZone(value: string | null | undefined): string {
  if (!value || value.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value)) return UTC;
  try {
    return new Intl.DateTimeFormat("en-GB", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return UTC;
  }
}

const asDate = (d: Date | string) => (typeof d === "string" ? new Date(d) : d);

/** "8 Dec 2026" (the day in that zone); "Never" when there is no date. */
export function formatDay(d: Date | string | null | undefined, timeZone = UTC): string {
  return d ? formatter("day", timeZone).format(asDate(d)) : NEVER;
}

/** "8 Dec 2026, 14:42 GMT-5"; "Never" when there is no date. */
export function formatDateTime(d: Date | string | null | undefined, timeZone = UTC): string {
  return d ? formatter("dateTime", timeZone).format(asDate(d)) : NEVER;
}

/** "14:42:05 GMT-5": the time of day to the second (the audit log, beside its day). */
export function formatTimeOfDay(d: Date | string, timeZone = UTC): string {
  return formatter("timeOfDay", timeZone).format(asDate(d));
}

/** "14:42 GMT-5", or with the day when it is not the same day as `now` in that zone ("9 Dec 2026, 01:12 GMT+5:30"):
 *  when a lock ends, a code expires. */
export function formatTime(d: Date | string, timeZone = UTC, now: Date = new Date()): string {
  const date = asDate(d);
  return formatDay(date, timeZone) === formatDay(now, timeZone)
    ? formatter("time", timeZone).format(date)
    : formatDateTime(date, timeZone);
}

/** "Tue, 8 Dec 2026, 14:42 GMT-5": deadlines in banners, dialogs and the users table. */
export function formatDeadline(d: Date | string, timeZone = UTC): string {
  return formatter("deadline", timeZone).format(asDate(d));
}
