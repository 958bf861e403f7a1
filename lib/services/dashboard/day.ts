// UTC days for the adoption history: a snapshot describes one day, stored as its midnight (a DATE column).

export const DAY_MS = 24 * 3600_000;

/** Midnight UTC of the day `at` falls in. */
export function startOfDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

export function addDays(day: Date, n: number): Date {
  return new Date(day.getTime() + n * DAY_MS);
}

/** "2026-12-01" */
export function dayKey(day: Date): string {
  return day.toISOString().slice(0, 10);
}

/** Every day from `from` to `to` (midnights, both included), oldest first. */
export function daysBetween(from: Date, to: Date): Date[] {
  const out: Date[] = [];
  for (let d = startOfDay(from); d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}
