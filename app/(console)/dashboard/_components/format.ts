// Words and numbers shown on the dashboard.

export { formatCount as count, formatPercent as percent } from "@/lib/format/count";
export const longDate = (d: Date | string) =>
  new Date(d).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
export const shortDay = (iso: string) =>
  new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
export const dateTime = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
export const planName = { FREE: "Free", PROFESSIONAL: "Professional", ENTERPRISE: "Enterprise" } as const;

/** A Users table link with these filters (the parameters app/(console)/settings/users reads). */
export function usersHref(filters: { status?: string; role?: string; type?: string; q?: string }): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
  const qs = params.toString();
  return qs ? `/settings/users?${qs}` : "/settings/users";
}
