// How deadlines read in banners, dialogs and the users table, in the person's time zone (lib/format/dates.ts).
import { formatDeadline as formatDeadlineIn, UTC } from "./dates";

const DAY_MS = 24 * 3600_000;

/** "Tue, 8 Dec 2026, 14:42 GMT-5" in the person's time zone (UTC when not given). */
export function formatDeadline(d: Date, timeZone = UTC): string {
  return formatDeadlineIn(d, timeZone);
}

/** Whole days left, rounded up (a deadline 30 hours away is "in 2 days"); 0 once it has passed. */
export function daysLeft(deadline: Date, now = new Date()): number {
  return Math.max(0, Math.ceil((deadline.getTime() - now.getTime()) / DAY_MS));
}

/** "in 3 days", "in 1 day", "today" (under a day left, not yet passed), "passed". */
export function deadlineIn(deadline: Date, now = new Date()): string {
  const ms = deadline.getTime() - now.getTime();
  if (ms <= 0) return "passed";
  const days = daysLeft(deadline, now);
  if (ms < DAY_MS) return "in less than a day";
  return `in ${days} day${days === 1 ? "" : "s"}`;
}
