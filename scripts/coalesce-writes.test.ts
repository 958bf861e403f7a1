import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { coalesceWrites } from "./coalesce-writes";

// The chunks a handler writes in one turn of the event loop leave in one socket write; chunks written after a pause
// still arrive while the response is open (streaming is not held back until the end).

let server: http.Server | null = null;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** Serves one response with `handler`, counting the writes the socket hands to the kernel (its _write/_writev). */
async function serve(coalesce: boolean, handler: (res: http.ServerResponse) => Promise<void>) {
  let socketWrites = 0;
  server = http.createServer((_req, res) => {
    const socket = res.socket as Socket & { _write: Socket["_write"]; _writev?: Socket["_writev"] };
    for (const name of ["_write", "_writev"] as const) {
      const original = socket[name];
      if (!original) continue;
      (socket as unknown as Record<string, unknown>)[name] = function (this: Socket, ...args: unknown[]) {
        socketWrites++;
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      };
    }
    if (coalesce) coalesceWrites(res);
    void handler(res);
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { port, writes: () => socketWrites };
}

// Ten chunks, each written by its own task of one turn (React schedules its rendering work with setImmediate): Node's
// own cork lasts only until the next tick, so each task's chunk would be a write of its own.
const tenChunksInOneTurn = async (res: http.ServerResponse) => {
  res.writeHead(200, { "content-type": "text/plain" });
  for (let i = 0; i < 10; i++) setImmediate(() => res.write(`chunk ${i};`));
  setImmediate(() => res.end());
};

describe("coalesceWrites", () => {
  it("sends the chunks of one turn of the event loop in one socket write", async () => {
    const plain = await serve(false, tenChunksInOneTurn);
    const plainBody = await (await fetch(`http://127.0.0.1:${plain.port}/`)).text();
    const plainWrites = plain.writes();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = null;

    const coalesced = await serve(true, tenChunksInOneTurn);
    const body = await (await fetch(`http://127.0.0.1:${coalesced.port}/`)).text();
    expect(body).toBe(plainBody);
    expect(body).toBe(Array.from({ length: 10 }, (_, i) => `chunk ${i};`).join(""));
    expect(plainWrites).toBeGreaterThanOrEqual(10);
    expect(coalesced.writes()).toBeLessThanOrEqual(2);
  });

  it("still streams: a chunk written before a pause arrives before the response ends", async () => {
    let release: () => void = () => {};
    const paused = new Promise<void>((resolve) => (release = resolve));
    const s = await serve(true, async (res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("first;");
      await paused; // e.g. a Suspense boundary waiting for its data
      res.end("last;");
    });
    const response = await fetch(`http://127.0.0.1:${s.port}/`);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("first;");
    release();
    let rest = "";
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    expect(rest).toBe("last;");
  });
});
