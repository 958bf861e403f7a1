import { EventEmitter } from "node:events";
import type http from "node:http";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { applyMemoryPolicy, exposeGc, formatAbortReasons, HEAP_GROWING_PERCENT, IDLE_COLLECT_AFTER_MS } from "./memory";

// The serving process's memory policy: one full collection after each busy period, never while a request is being
// answered, never twice for one period. The server and V8 are stand-ins; the timers are Vitest's.

function setup() {
  const server = new EventEmitter();
  const flags: string[] = [];
  const collections: unknown[] = [];
  applyMemoryPolicy(server as unknown as http.Server, {
    setFlags: (f) => flags.push(f),
    gc: () => () => collections.push("full"),
  });
  const request = () => {
    const res = new EventEmitter();
    server.emit("request", new EventEmitter(), res);
    return { done: () => res.emit("close") };
  };
  return { flags, collections, request };
}

describe("applyMemoryPolicy", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("sets the heap growing factor", () => {
    expect(setup().flags).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
  });

  it("collects once, a quiet period after the last response", () => {
    const { collections, request } = setup();
    const a = request();
    const b = request();
    a.done();
    vi.advanceTimersByTime(IDLE_COLLECT_AFTER_MS * 2);
    expect(collections).toEqual([]); // b is still being answered
    b.done();
    vi.advanceTimersByTime(IDLE_COLLECT_AFTER_MS - 1);
    expect(collections).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(collections).toEqual(["full"]);
    vi.advanceTimersByTime(IDLE_COLLECT_AFTER_MS * 10);
    expect(collections).toHaveLength(1); // nothing served since: no second collection
  });

  it("a request in the quiet period starts the wait again", () => {
    const { collections, request } = setup();
    request().done();
    vi.advanceTimersByTime(IDLE_COLLECT_AFTER_MS - 100);
    const late = request();
    vi.advanceTimersByTime(IDLE_COLLECT_AFTER_MS);
    expect(collections).toEqual([]);
    late.done();
    vi.advanceTimersByTime(IDLE_COLLECT_AFTER_MS);
    expect(collections).toHaveLength(1);
    request().done();
    vi.advanceTimersByTime(IDLE_COLLECT_AFTER_MS);
    expect(collections).toHaveLength(2); // the next busy period gets its own collection
  });

  it("never collects a server that served nothing", () => {
    const { collections } = setup();
    vi.advanceTimersByTime(IDLE_COLLECT_AFTER_MS * 10);
    expect(collections).toEqual([]);
  });
});

it("exposeGc gives V8's collector without --expose-gc on the command line", async () => {
  expect(process.execArgv).not.toContain("--expose-gc");
  const gc = exposeGc();
  // An object only a WeakRef points to is gone after a full collection (WeakRef targets live until the current job
  // ends, hence the turn of the event loop in between).
  const ref = (() => new WeakRef({ payload: new Array(1000).fill("x") }))();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  expect(ref.deref()).toBeUndefined();
});

describe("formatAbortReasons", () => {
  // The chain the bench found (scripts/memory.ts): an Error made inside an immediate and given to abort() kept the
  // finished Immediate alive through its stack's frames. A WeakRef tells whether it is still reachable after a full
  // collection; the signal (and its reason) stay alive until the end of the test.
  async function immediateKeptByAbortReason(proto: { abort(reason?: unknown): void }): Promise<boolean> {
    const Controller = class extends AbortController {};
    Object.setPrototypeOf(Controller.prototype, proto);
    const controller = new Controller();
    let ref: WeakRef<object> | undefined;
    await new Promise<void>((resolve) => {
      ref = new WeakRef(
        setImmediate(function finishRender() {
          controller.abort(new Error("This render completed successfully."));
          resolve();
        }),
      );
    });
    await new Promise((r) => setTimeout(r, 10));
    exposeGc()();
    expect(controller.signal.aborted).toBe(true);
    expect((controller.signal.reason as Error).message).toBe("This render completed successfully.");
    return ref?.deref() !== undefined;
  }

  it("without it, an abort reason made in an immediate keeps the finished Immediate alive (the leak)", async () => {
    const plain = Object.create(AbortController.prototype) as { abort(reason?: unknown): void };
    expect(await immediateKeptByAbortReason(plain)).toBe(true);
  });

  it("with it, the reason keeps its stack as text and the Immediate is collected; applying twice wraps once", async () => {
    const patched = Object.create(AbortController.prototype) as { abort(reason?: unknown): void };
    formatAbortReasons(patched);
    const once = patched.abort;
    formatAbortReasons(patched);
    expect(patched.abort).toBe(once);
    expect(await immediateKeptByAbortReason(patched)).toBe(false);
  });
});
