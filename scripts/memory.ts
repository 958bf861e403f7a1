// The serving process's memory policy (issue 13 target 7: RSS ≤ 300 MB idle, ≤ 400 MB under load), measured with
// `npm run bench` (bench/results/SUMMARY.md). What the process holds after a full collection is about 155 MB (Node,
// the product's code and Next's, a 55 MB live heap); everything above that is garbage V8 has not collected yet or
// heap it keeps for later:
//  - under load V8 lets the heap grow to several times what is live before its next full collection (it sizes the
//    next limit from how fast it collects). A fixed growing factor keeps the heap within 1.5 × what is live, at the
//    price of more full collections (run mostly on V8's helper thread). A hard cap (`--max-old-space-size`) is worse:
//    near it V8 collects back to back and the heavy pages lose most of their throughput (measured: ÷ 4 at 200 MB);
//  - when the traffic stops, V8 keeps the grown heap and its garbage (its idle "memory reducer" did not shrink it in
//    our measurements: 395 MB ten seconds after a burst, 158 MB after one full collection). So after a few quiet
//    seconds the server runs one full collection; the next request starts a new period.
// Production only (scripts/server.ts): `npm run dev` keeps V8's defaults.
import type http from "node:http";
import v8 from "node:v8";
import vm from "node:vm";

/** The heap may grow to (1 + this / 100) × what was live after the last full collection. */
export const HEAP_GROWING_PERCENT = 50;
/** Quiet time after the last response before the idle collection. */
export const IDLE_COLLECT_AFTER_MS = 5_000;

/** A full, forced collection. (Node 20's `gc({ type: "major" })` is a different, lighter one: it left a WeakRef's
 *  dropped target alive in scripts/memory.test.ts, so the plain call is used.) */
type Gc = () => void;

/** V8's `gc()` without starting Node with `--expose-gc`: the flag set at run time exposes it to new contexts. */
export function exposeGc(): Gc {
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as Gc;
}

/** Sets the heap growing factor and, after each busy period of `server`, one full collection once it is quiet.
 *  `runtime` is V8 itself; scripts/memory.test.ts passes its own to watch what happens when. */
export function applyMemoryPolicy(
  server: Pick<http.Server, "on">,
  runtime: { setFlags(flags: string): void; gc(): Gc } = { setFlags: v8.setFlagsFromString, gc: exposeGc },
): void {
  runtime.setFlags(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  const gc = runtime.gc();
  let inFlight = 0;
  let servedSinceCollect = false;
  let timer: NodeJS.Timeout | null = null;
  const collectIfQuiet = () => {
    timer = null;
    if (inFlight > 0 || !servedSinceCollect) return;
    servedSinceCollect = false;
    gc();
  };
  server.on("request", (_req: http.IncomingMessage, res: http.ServerResponse) => {
    inFlight += 1;
    servedSinceCollect = true;
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    res.once("close", () => {
      inFlight -= 1;
      if (inFlight === 0 && !timer) {
        timer = setTimeout(collectIfQuiet, IDLE_COLLECT_AFTER_MS);
        timer.unref();
      }
    });
  });
}

const FORMATTED = Symbol.for("twofold.formatAbortReasons");

/**
 * Abort reasons keep no stack frames: an Error given to `AbortController#abort` has its stack formatted there and then.
 *
 * Why: React's server renderer ends every render with `cacheController.abort(Error("This render completed
 * successfully…"))`, from inside a setImmediate callback. V8 keeps an Error's stack as structured frames until something
 * reads `.stack`, and each frame keeps its receiver: here the Immediate. Node 20 leaves a finished Immediate linked to the
 * immediates queued after it (`_idleNext`), and each of those holds the async context it was queued in, that is another
 * render, whose own abort reason holds the next link. Under steady concurrent load the links chain one render to the
 * next, from a root that lives long (a database socket opened during an early request keeps that request's context):
 * in one bench run the heap still live after a full collection grew from 78 to 160 MB and the RSS peaked at 459–515 MB
 * (10,000 members, parts `users dashboard`). A formatted stack is a string; the chain is cut. Cost: one stack formatted
 * per aborted signal (ten frames at most).
 */
export function formatAbortReasons(proto: { abort(reason?: unknown): void } = AbortController.prototype): void {
  const target = proto as { abort(reason?: unknown): void; [FORMATTED]?: true };
  if (target[FORMATTED]) return;
  const abort = target.abort;
  target.abort = function (this: unknown, reason?: unknown) {
    if (reason instanceof Error) void reason.stack;
    return abort.call(this, reason);
  };
  target[FORMATTED] = true;
}
