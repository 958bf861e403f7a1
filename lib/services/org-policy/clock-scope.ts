// What one run of the policy clock covers, and how it reports an organization it could not serve. Shared by the
// clock's steps: grace expiry and reminders (org-policy) and the adoption snapshots (dashboard/history.ts).

/** Every organization, one, or some (the clock runs over every one; tests and operators name theirs). */
export type ClockScope = { organizationId?: string | string[] };
export const inClockScope = ({ organizationId: id }: ClockScope) =>
  typeof id === "string" ? { id } : id ? { id: { in: id } } : {};

/** One organization's step that failed in a clock run: logged, and the run goes on with the next organization (one
 *  organization's failure, e.g. a row that cannot be written, must not hold back every organization after it, run
 *  after run). Its claim rolled back with it, so the next run tries it again. */
export interface ClockFailure {
  organizationId: string;
  step: "grace-expiry" | "reminder-7" | "reminder-1" | "snapshot";
  error: string;
}
export const clockFailure = (organizationId: string, step: ClockFailure["step"], e: unknown): ClockFailure => ({
  organizationId,
  step,
  error: e instanceof Error ? e.message : String(e),
});
