import type http from "node:http";

// One write to the socket per turn of the event loop, not one per chunk. Next streams a page as many small chunks
// (the HTML as React flushes it, each piece of the inline RSC payload, the headers), each in its own microtask, and
// Node's response writes each one to the socket at once (it corks only until the next tick): 20–30 write system calls
// for one dashboard. Here the socket is corked at a response's first write and uncorked by setImmediate, after the
// chunks of this turn are queued, so they leave in one writev. A stream that pauses (a Suspense boundary waiting
// for data) is still flushed as soon as the turn ends, so streaming is unchanged.
// Measured with `npm run bench` (server CPU per request, same build, alternate runs): /api/health 3.9 → 2.2 ms,
// /sign-in 10.6 → 8.3, /settings/users 52 → 40, /dashboard 35 → 29.
export function coalesceWrites(res: http.ServerResponse): void {
  const socket = res.socket;
  if (!socket) return;
  const write = res.write;
  let corked = false;
  res.write = function (this: http.ServerResponse, ...args: Parameters<typeof write>) {
    if (!corked && !socket.destroyed) {
      corked = true;
      socket.cork();
      setImmediate(() => {
        corked = false;
        socket.uncork();
      });
    }
    return write.apply(this, args);
  } as typeof write;
}
