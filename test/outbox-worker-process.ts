// One outbox worker in its own process, for lib/services/outbox-exactly-once.int.test.ts: the real delivery code and the
// real `resend` SDK against the capture server, on a simulated clock (a run every CLOCK_STEP_MS from CLOCK_START, as
// the worker loop polls every 2 s). Prints "ready", waits for "go" on stdin (so both workers start together), then
// prints its summed report as JSON.
import { db } from "../lib/db";
import { createResendTransport } from "../lib/mail/transport";
import { deliverDueMessages } from "../lib/services/outbox/deliver";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const transport = createResendTransport({
  apiKey: env("CAPTURE_API_KEY"),
  baseUrl: env("CAPTURE_URL"),
  from: "Twofold <security@twofold.test>",
});
const start = Date.parse(env("CLOCK_START"));
const step = Number(env("CLOCK_STEP_MS"));
const steps = Number(env("CLOCK_STEPS"));
const limit = Number(env("CLAIM_LIMIT"));

await db.$queryRaw`SELECT 1`; // connected before the start signal
console.log("ready");
await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
const total = { claimed: 0, sent: 0, failed: 0, dead: 0, providerCalls: 0 };
for (let i = 0; i < steps; i++) {
  const r = await deliverDueMessages({ now: new Date(start + i * step), limit, transport });
  for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += r[k];
}
console.log(JSON.stringify(total));
await db.$disconnect();
process.exit(0);
