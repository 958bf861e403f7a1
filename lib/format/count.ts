// Counts shown to people: "1,234", or "about 49,000" when the number is an estimate (the Users table counts a filtered
// view exactly only up to a threshold, lib/services/teammates/table.ts).

export function formatCount(n: number, exact = true): string {
  const text = n.toLocaleString("en-US");
  return exact ? text : `about ${text}`;
}
