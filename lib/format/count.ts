// Numbers shown to people: the one formatter for every count in the UI ("2,506"), percentages ("82.5%") and counted
// words ("1 member", "2,506 members"). "about 49,000" when a count is an estimate (the Users table counts a filtered
// view exactly only up to a threshold, lib/services/teammates/table.ts). English grouping on server and browser alike,
// so server-rendered and client-rendered text never differ (no hydration mismatch from the browser's locale).

const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

/** "2,506"; "about 49,000" when `exact` is false. */
export function formatCount(n: number, exact = true): string {
  const text = whole.format(n);
  return exact ? text : `about ${text}`;
}

/** `part` of `whole` as a percentage with at most one decimal ("82.5%", "100%"); "—" when there is nothing to divide. */
export function formatPercent(part: number, total: number): string {
  if (!(total > 0)) return "—";
  return `${oneDecimal.format(Math.round((part / total) * 1000) / 10)}%`;
}

/** "1 member", "0 members", "2,506 members" (`plural` for irregular words). */
export function countOf(n: number, word: string, plural = `${word}s`): string {
  return `${formatCount(n)} ${n === 1 ? word : plural}`;
}
