import { type DeliveryReport, deliverDueMessages } from "./deliver";
import { deliverDueTexts } from "./deliver-sms";
import { purgeSentMail } from "./outbox-admin";

// The delivery loop: runs deliverDueMessages every 2 s (never two runs at once in this process; other processes are
// safe through the database claim). When a run claims a full batch, the next one starts after a short pause so a
// large announcement drains quickly without hammering the provider's rate limit (Resend: 2 requests/s by default).
// Beside it, hourly housekeeping deletes sent mail past its retention period (S41).

export interface OutboxWorker {
  /** Stops the loop and waits for a run in progress to finish. */
  stop(): Promise<void>;
}

export interface OutboxWorkerOptions {
  intervalMs?: number;
  limit?: number;
  /** Default true: the loop does not keep the process alive on its own (right inside the Next server). */
  unref?: boolean;
  /** Default true: stop on SIGTERM (then let the process terminate if nobody else handles the signal). */
  handleSignals?: boolean;
  onReport?: (report: DeliveryReport) => void;
  /** Texts (kind SMS, deliver-sms.ts) are delivered in the same loop, beside mail. */
  onTextReport?: (report: DeliveryReport) => void;
}

const DRAIN_PAUSE_MS = 500;
const HOUSEKEEPING_MS = 3_600_000;
const globalForWorker = globalThis as unknown as { twofoldOutboxWorker?: OutboxWorker };

function logReport(r: DeliveryReport): void {
  if (r.configurationProblem) {
    // Mail waits (never DEAD for this) until an operator fixes the provider configuration.
    console.error(`[outbox] the mail provider refuses our configuration, mail is waiting: ${r.configurationProblem}`);
  }
  if (r.claimed === 0) return;
  console.log(
    `[outbox] claimed ${r.claimed}: sent ${r.sent}, retrying ${r.failed}, dead ${r.dead}, provider calls ${r.providerCalls}`,
  );
}

function logTextReport(r: DeliveryReport): void {
  if (r.configurationProblem) {
    console.error(`[outbox] the SMS provider refuses our configuration, texts are waiting: ${r.configurationProblem}`);
  }
  if (r.claimed === 0) return;
  console.log(`[outbox] texts claimed ${r.claimed}: sent ${r.sent}, retrying ${r.failed}, dead ${r.dead}`);
}

/** Starts the in-process delivery loop (once per process: a second call returns the running worker). */
export function startOutboxWorker(options: OutboxWorkerOptions = {}): OutboxWorker {
  if (globalForWorker.twofoldOutboxWorker) return globalForWorker.twofoldOutboxWorker;
  const intervalMs = options.intervalMs ?? 2_000;
  const limit = options.limit ?? 100;
  const onReport = options.onReport ?? logReport;
  const onTextReport = options.onTextReport ?? logTextReport;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const housekeeping = () =>
    void purgeSentMail().then(
      (n) => n > 0 && console.log(`[outbox] deleted ${n} sent mails past their retention period`),
      (e: unknown) => console.error(`[outbox] housekeeping failed: ${e instanceof Error ? e.message : String(e)}`),
    );
  const housekeepingTimer = setInterval(housekeeping, HOUSEKEEPING_MS);
  housekeepingTimer.unref();
  housekeeping();

  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(tick, delay);
    if (options.unref ?? true) timer.unref();
  };

  function tick(): void {
    let next = intervalMs;
    const texts = deliverDueTexts().then(onTextReport, (e: unknown) => {
      console.error(`[outbox] text delivery run failed: ${e instanceof Error ? e.message : String(e)}`);
    });
    running = deliverDueMessages({ limit })
      .then((report) => {
        onReport(report);
        if (report.claimed >= limit) next = DRAIN_PAUSE_MS;
      })
      .finally(() => texts)
      .catch((e: unknown) => {
        console.error(`[outbox] delivery run failed: ${e instanceof Error ? e.message : String(e)}`);
      })
      .finally(() => {
        running = undefined;
        schedule(next);
      });
  }

  const onSigterm = () => {
    void worker.stop().finally(() => {
      // We were the only listener: restore the default behaviour of SIGTERM (terminate).
      if (process.listenerCount("SIGTERM") === 0) process.kill(process.pid, "SIGTERM");
    });
  };

  const worker: OutboxWorker = {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      clearInterval(housekeepingTimer);
      process.off("SIGTERM", onSigterm);
      if (globalForWorker.twofoldOutboxWorker === worker) globalForWorker.twofoldOutboxWorker = undefined;
      await running;
    },
  };
  if (options.handleSignals ?? true) process.once("SIGTERM", onSigterm);
  globalForWorker.twofoldOutboxWorker = worker;
  schedule(0);
  return worker;
}
