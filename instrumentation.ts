// Next.js calls register() once when a server instance starts. In the Node.js runtime, and when configured
// (OUTBOX_WORKER=inline, the default), it starts the in-process outbox delivery loop and the
// organization policy clock. The imports are dynamic so the
// Edge bundle never includes the database client or the mail transports.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Issue 11: the offline IP-to-country table is read once per process (~1 s); read it now, after start, rather than
  // inside the first sign-in's transaction.
  const { warmCountryTable } = await import("./lib/net/country");
  setTimeout(warmCountryTable, 0).unref();
  const { env } = await import("./lib/env");
  if (env.OUTBOX_WORKER !== "inline") return;
  const { startOutboxWorker } = await import("./lib/services/outbox/outbox-worker");
  startOutboxWorker();
  // Grace-period reminders and deadlines (issue 4) run next to the outbox.
  const { startPolicyClock } = await import("./lib/services/org-policy/clock");
  startPolicyClock();
}
