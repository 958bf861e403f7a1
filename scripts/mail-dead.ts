// `npm run mail:dead`: what the outbox could not deliver, and putting it back in the queue.
//   npm run mail:dead                         lists dead mail (newest first) and pending mail that keeps failing
//   npm run mail:dead -- --requeue <id> …     requeues these dead mails (due now, attempts reset)
//   npm run mail:dead -- --requeue-all        requeues every dead mail
// The worker (inline in the server, or `npm run worker`) then sends them. A mail whose provider call may have been
// accepted is requeued with the rest of that call under the same idempotency key, so it is never delivered twice.
import { db } from "../lib/db";
import { listDeadMail, listStuckMail, requeueDeadMail } from "../lib/services/outbox/outbox-admin";

const USAGE = "usage: npm run mail:dead [-- --requeue <id> [<id> …] | -- --requeue-all]";

async function list(): Promise<void> {
  const { total, mails } = await listDeadMail({ input: { limit: 200 } });
  if (total === 0) console.log("No dead mail.");
  else {
    console.log(
      `${total} dead mail${total === 1 ? "" : "s"}${total > mails.length ? ` (newest ${mails.length})` : ""}:`,
    );
    for (const m of mails) {
      console.log(
        `  ${m.id}  ${m.createdAt.toISOString()}  ${m.template}  to ${m.to}  after ${m.attempts} attempt${m.attempts === 1 ? "" : "s"}`,
      );
      console.log(`      last error: ${m.lastError ?? "(none)"}`);
    }
    console.log("Requeue with: npm run mail:dead -- --requeue <id> …   or   npm run mail:dead -- --requeue-all");
  }
  const stuck = await listStuckMail();
  if (stuck.length > 0) {
    console.log("\nPending mail that keeps failing (retried with backoff):");
    for (const s of stuck) console.log(`  ${s.count} since ${s.oldest.toISOString()}: ${s.lastError}`);
  }
}

async function main(args: string[]): Promise<number> {
  const [flag, ...ids] = args;
  if (flag === undefined) {
    await list();
    return 0;
  }
  if (flag === "--requeue-all" && ids.length === 0) {
    const { requeued } = await requeueDeadMail({ input: { which: "all" } });
    console.log(`Requeued ${requeued.length} dead mail${requeued.length === 1 ? "" : "s"}.`);
    return 0;
  }
  if (flag === "--requeue" && ids.length > 0) {
    const { requeued, skipped } = await requeueDeadMail({ input: { which: ids } });
    console.log(`Requeued ${requeued.length}: ${requeued.join(", ") || "none"}`);
    if (skipped.length) console.error(`Not dead (or unknown), left alone: ${skipped.join(", ")}`);
    return skipped.length ? 1 : 0;
  }
  console.error(USAGE);
  return 2;
}

const code = await main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  return 1;
});
await db.$disconnect();
process.exit(code);
