// Runs in the browser before any application code (Next's instrumentation-client convention).
import { z } from "zod";

// Zod 4 probes `new Function("")` when it builds an object schema, to pick its compiled fast path. Under the
// Content-Security-Policy (no 'unsafe-eval', proxy.ts) the browser refuses the probe and reports a violation, even
// though zod catches it. jitless skips the probe; the forms' schemas validate exactly the same way. It must run
// before the first schema module is evaluated, hence here.
z.config({ jitless: true });
