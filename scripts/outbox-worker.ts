// `npm run worker`: delivers the outbox (with its housekeeping: sent mail past retention is deleted, S41), and runs the
// organization policy clock, from a separate process (for deployments that set OUTBOX_WORKER=off on the
// web servers). Any number of workers may run: each claims its own rows. Stops cleanly on SIGINT/SIGTERM, letting a
// run in progress finish.
import { db } from "../lib/db";
import { env, parseEnv } from "../lib/env";
import { startPolicyClock } from "../lib/services/org-policy/clock";
import { startOutboxWorker } from "../lib/services/outbox/outbox-worker";

// Fail fast, naming every missing or malformed variable (a production worker needs the same settings as the server).
try {
  parseEnv(process.env);
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
console.log(`[outbox] worker started (transport: ${env.mailTransport})`);
const worker = startOutboxWorker({ unref: false, handleSignals: false });
startPolicyClock(); // grace-period reminders and deadlines (issue 4)

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`[outbox] ${signal}: finishing the current run`);
  await worker.stop();
  await db.$disconnect();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
