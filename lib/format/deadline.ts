// How deadlines read in banners, dialogs and the users table. Server-rendered, so always in UTC and said so.

const DAY_MS = 24 * 3600_000;

const formatter = new Intl.DateTimeFormat("en-GB", {
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});

/** "Tue, 8 Dec 2026, 19:42 UTC" */
export function formatDeadline(d: Date): string {
  return `${formatter.format(d)} UTC`;
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
