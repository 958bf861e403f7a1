// Words and numbers shown on the dashboard. Moments are shown with <LocalTime> (the person's time zone); the
// history's days are UTC days (one adoption snapshot per UTC day), so their labels stay UTC.

export { formatCount as count, formatPercent as percent } from "@/lib/format/count";
export const longDate = (d: Date | string) =>
  new Date(d).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
export const shortDay = (iso: string) =>
  new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
export const planName = { FREE: "Free", PROFESSIONAL: "Professional", ENTERPRISE: "Enterprise" } as const;

/** A Users table link with these filters (the parameters app/(console)/settings/users reads). */
export function usersHref(filters: {
  status?: string;
  method?: string;
  role?: string;
  type?: string;
  q?: string;
}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
  const qs = params.toString();
  return qs ? `/settings/users?${qs}` : "/settings/users";
}
