// Dates shown to people. Pages render on the server (and client components hydrate the same text), so every date is
// in UTC and says so where a time of day is shown. One spelling for a date that never happened: "Never".

export const NEVER = "Never";

const dayFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});
const timeFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});

const asDate = (d: Date | string) => (typeof d === "string" ? new Date(d) : d);

/** "8 Dec 2026"; "Never" when there is no date. */
export function formatDay(d: Date | string | null | undefined): string {
  return d ? dayFormat.format(asDate(d)) : NEVER;
}

/** "8 Dec 2026, 19:42 UTC"; "Never" when there is no date. */
export function formatDateTime(d: Date | string | null | undefined): string {
  return d ? `${timeFormat.format(asDate(d))} UTC` : NEVER;
}

/** "19:42:05 UTC": the time of day to the second (the audit log, beside its day). */
export function formatTimeOfDay(d: Date | string): string {
  return `${asDate(d).toISOString().slice(11, 19)} UTC`;
}
