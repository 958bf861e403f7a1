"use client";

import { createContext, useContext } from "react";
import { formatDateTime, formatDay, formatDeadline, formatTime, formatTimeOfDay, NEVER, UTC } from "@/lib/format/dates";

// Times in the person's own time zone (docs/decisions/0012-time-zones.md). The root layout reads the zone the browser
// stated (a cookie) and provides it here, so a client component renders the same words on the server and in the
// browser. suppressHydrationWarning covers only a different ICU version in the browser (a zone's short name), never a
// different zone.

const TimeZoneContext = createContext<string>(UTC);

export function TimeZoneProvider({ timeZone, children }: { timeZone: string; children: React.ReactNode }) {
  return <TimeZoneContext.Provider value={timeZone}>{children}</TimeZoneContext.Provider>;
}

/** The person's time zone (UTC until the browser has said which). */
export function useTimeZone(): string {
  return useContext(TimeZoneContext);
}

const FORMATS = {
  day: formatDay,
  dateTime: formatDateTime,
  timeOfDay: formatTimeOfDay,
  time: (d: Date | string, tz: string) => formatTime(d, tz),
  deadline: formatDeadline,
} as const;

export type TimeFormat = keyof typeof FORMATS;

/** <time> with the date in the person's zone: "8 Dec 2026" (day), "8 Dec 2026, 14:42 GMT-5" (dateTime), "14:42:05
 *  GMT-5" (timeOfDay), "14:42 GMT-5" or with the day when not today (time), "Tue, 8 Dec 2026, 14:42 GMT-5" (deadline). */
export function LocalTime({
  value,
  format = "dateTime",
  className,
}: {
  value: Date | string | null | undefined;
  format?: TimeFormat;
  className?: string;
}) {
  const timeZone = useTimeZone();
  if (!value) return <>{NEVER}</>;
  const iso = typeof value === "string" ? value : value.toISOString();
  return (
    <time dateTime={iso} className={className} suppressHydrationWarning>
      {FORMATS[format](iso, timeZone)}
    </time>
  );
}
