import fs from "node:fs";
import path from "node:path";
// HTTP load for one route with autocannon (programmatic API): a discarded warm-up, then a fixed-duration run.
// Latencies come from every response's own timing (sub-millisecond), not autocannon's 1 ms-resolution histogram.
import autocannon from "autocannon";
import { cpuMs, sampleRss } from "./rss";
import { round, summarize } from "./stats";

export interface RouteSpec {
  path: string;
  /** Label in the summary (default: the path). */
  label?: string;
  /** Summary group: "floor" and "sign-in" are measured in every run, "shell" with `users` or `dashboard`; others are
   *  parts (`npm run bench -- users`). */
  part: "floor" | "sign-in" | "shell" | "users" | "export" | "dashboard" | "verify";
  /** A POST route: builds each request (method, headers, body); the preflight is `check`. */
  post?: {
    setupRequest: () => { headers: Record<string, string>; body: string };
    check: (res: Response, body: string) => string | null;
  };
  /** Also fetch the page's RSC payload (client navigation) once and record its size. */
  rsc?: boolean;
  /** Send the signed-in owner's session cookie. */
  auth: boolean;
  /** The framework floor: a bare route handler, no database, no auth. */
  floor?: boolean;
  /** Text the page must contain (checked once before the load, so a wrong page can't pass as fast). */
  expect?: string;
}

export interface LoadOptions {
  baseUrl: string;
  connections: number;
  /** Seconds. */
  duration: number;
  /** Seconds; 0 for none. */
  warmup: number;
  cookie: string;
  /** PID of the serving process, sampled for RSS during the run (warm-up excluded). */
  servingPid: number;
}

export interface RouteResult {
  path: string;
  label: string;
  part: RouteSpec["part"];
  floor: boolean;
  /** Response body of the preflight request, in bytes (HTML for a page, with its inline RSC payload). */
  bodyBytes: number;
  /** The page's RSC payload on client navigation (`RSC: 1`), in bytes, when measured. */
  rscBytes: number | null;
  requests: number;
  reqPerSec: number;
  medianMs: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  bytesPerResponse: number;
  peakRssMb: number;
  /** CPU time the serving process spent per completed request during the run (user + system, ms). It leaves out the
   *  time the process waited for a core, but still varies between runs on a shared machine (bench/README.md). */
  cpuMsPerRequest: number | null;
}

function run(opts: autocannon.Options, onResponse?: (status: number, ms: number) => void): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
    if (onResponse) {
      instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => onResponse(status, ms));
    }
  });
}

/** Fetches the route once (no redirects followed): it must answer 200 and contain `expect`. Returns its sizes. */
export async function preflight(
  route: RouteSpec,
  baseUrl: string,
  cookie: string,
): Promise<{ bodyBytes: number; rscBytes: number | null }> {
  if (route.post) {
    const { headers, body } = route.post.setupRequest();
    const res = await fetch(new URL(route.path, baseUrl), { method: "POST", headers, body, redirect: "manual" });
    const text = await res.text();
    const problem = route.post.check(res, text);
    if (problem) throw new Error(`${route.label ?? route.path}: ${problem}`);
    return { bodyBytes: Buffer.byteLength(text), rscBytes: null };
  }
  const res = await fetch(new URL(route.path, baseUrl), {
    headers: route.auth ? { cookie } : {},
    redirect: "manual",
  });
  const body = await res.text();
  if (res.status !== 200) {
    const where = res.headers.get("location");
    throw new Error(`${route.path} answered ${res.status}${where ? ` → ${where}` : ""} instead of 200`);
  }
  if (route.expect && !body.includes(route.expect)) {
    throw new Error(`${route.path} answered 200 but the page does not contain ${JSON.stringify(route.expect)}`);
  }
  // BENCH_SAVE_PAGES=<folder>: each page's body as fetched here, to see what it is made of.
  if (process.env.BENCH_SAVE_PAGES) {
    fs.mkdirSync(process.env.BENCH_SAVE_PAGES, { recursive: true });
    const name = `${route.path.replace(/[^a-z0-9]+/gi, "_").replace(/^_|_$/g, "") || "root"}.html`;
    fs.writeFileSync(path.join(process.env.BENCH_SAVE_PAGES, name), body);
  }
  let rscBytes: number | null = null;
  if (route.rsc) {
    // Next answers an RSC request without its cache-busting `_rsc` parameter with a redirect to the URL that has it
    // (as a browser's navigation sends it): followed here, with the same headers.
    const rsc = await fetch(new URL(route.path, baseUrl), {
      headers: { ...(route.auth ? { cookie } : {}), RSC: "1" },
      redirect: "follow",
    });
    const text = await rsc.text();
    if (rsc.status !== 200) throw new Error(`${route.path} (RSC: 1) answered ${rsc.status}`);
    rscBytes = Buffer.byteLength(text);
  }
  return { bodyBytes: Buffer.byteLength(body), rscBytes };
}

/** One timed load of a route (after its warm-up, when `o.warmup` > 0): what `mergeSlices` adds up. */
export interface LoadSlice {
  latencies: number[];
  durationS: number;
  cpuMs: number | null;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  bytes: number;
  ok2xx: number;
  peakRssMb: number;
}

export async function loadSlice(route: RouteSpec, o: LoadOptions): Promise<LoadSlice> {
  const post = route.post;
  const base: autocannon.Options = {
    url: new URL(route.path, o.baseUrl).href,
    connections: o.connections,
    headers: route.auth ? { cookie: o.cookie } : {},
    timeout: 30,
    ...(post
      ? {
          method: "POST",
          requests: [
            {
              method: "POST",
              setupRequest: (req: autocannon.RequestSpec) => ({ ...req, method: "POST", ...post.setupRequest() }),
            },
          ],
        }
      : {}),
  };
  if (o.warmup > 0) await run({ ...base, duration: o.warmup });
  const latencies: number[] = [];
  const rss = sampleRss(o.servingPid);
  const cpuBefore = cpuMs(o.servingPid);
  let result: autocannon.Result;
  let peakRssMb: number;
  try {
    result = await run({ ...base, duration: o.duration }, (_status, ms) => latencies.push(ms));
  } finally {
    peakRssMb = rss.stop();
  }
  const cpuAfter = cpuMs(o.servingPid);
  return {
    latencies,
    durationS: result.duration,
    cpuMs: cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([k, v]) => [k, Number(v.count)])),
    bytes: result.throughput.total,
    ok2xx: result["2xx"],
    peakRssMb,
  };
}

/** A route's result from its slices: the requests, time and CPU of all of them together (interleaved rounds). */
export function mergeSlices(
  route: RouteSpec,
  sizes: { bodyBytes: number; rscBytes: number | null },
  slices: LoadSlice[],
): RouteResult {
  const latencies = slices.flatMap((x) => x.latencies);
  const s = summarize(latencies);
  const sum = (f: (x: LoadSlice) => number) => slices.reduce((total, x) => total + f(x), 0);
  const durationS = sum((x) => x.durationS);
  const cpu = slices.every((x) => x.cpuMs !== null) ? sum((x) => x.cpuMs ?? 0) : null;
  const statusCodes: Record<string, number> = {};
  for (const x of slices)
    for (const [k, v] of Object.entries(x.statusCodes)) statusCodes[k] = (statusCodes[k] ?? 0) + v;
  const ok2xx = sum((x) => x.ok2xx);
  return {
    path: route.path,
    label: route.label ?? route.path,
    part: route.part,
    floor: route.floor ?? false,
    bodyBytes: sizes.bodyBytes,
    rscBytes: sizes.rscBytes,
    requests: s.count,
    reqPerSec: round(durationS > 0 ? s.count / durationS : 0, 1),
    medianMs: round(s.median, 3),
    p99Ms: round(s.p99, 3),
    meanMs: round(s.mean, 3),
    maxMs: round(s.max, 3),
    non2xx: sum((x) => x.non2xx),
    errors: sum((x) => x.errors),
    timeouts: sum((x) => x.timeouts),
    statusCodes,
    bytesPerResponse: ok2xx ? Math.round(sum((x) => x.bytes) / ok2xx) : 0,
    peakRssMb: round(Math.max(0, ...slices.map((x) => x.peakRssMb)), 1),
    cpuMsPerRequest: cpu !== null && s.count > 0 ? round(cpu / s.count, 2) : null,
  };
}
