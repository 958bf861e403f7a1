import { EventEmitter } from "node:events";
import type http from "node:http";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { applyMemoryPolicy, exposeGc, HEAP_GROWING_PERCENT, IDLE_COLLECT_AFTER_MS } from "./memory";

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
