// HTTP load for one route with autocannon (programmatic API): a discarded warm-up, then a fixed-duration run.
// Latencies come from every response's own timing (sub-millisecond), not autocannon's 1 ms-resolution histogram.
import autocannon from "autocannon";
import { sampleRss } from "./rss";
import { round, summarize } from "./stats";

export interface RouteSpec {
  path: string;
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
  floor: boolean;
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
}

function run(opts: autocannon.Options, onResponse?: (status: number, ms: number) => void): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
    if (onResponse) {
      instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => onResponse(status, ms));
    }
  });
}

/** Fetches the route once (no redirects followed): it must answer 200 and contain `expect`. */
export async function preflight(route: RouteSpec, baseUrl: string, cookie: string): Promise<void> {
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
}

export async function loadRoute(route: RouteSpec, o: LoadOptions): Promise<RouteResult> {
  const base: autocannon.Options = {
    url: new URL(route.path, o.baseUrl).href,
    connections: o.connections,
    headers: route.auth ? { cookie: o.cookie } : {},
    timeout: 30,
  };
  if (o.warmup > 0) await run({ ...base, duration: o.warmup });
  const latencies: number[] = [];
  const rss = sampleRss(o.servingPid);
  let result: autocannon.Result;
  let peakRssMb: number;
  try {
    result = await run({ ...base, duration: o.duration }, (_status, ms) => latencies.push(ms));
  } finally {
    peakRssMb = rss.stop();
  }
  const s = summarize(latencies);
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([k, v]) => [k, Number(v.count)]));
  return {
    path: route.path,
    floor: route.floor ?? false,
    requests: s.count,
    reqPerSec: round(s.count / result.duration, 1),
    medianMs: round(s.median, 3),
    p99Ms: round(s.p99, 3),
    meanMs: round(s.mean, 3),
    maxMs: round(s.max, 3),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    bytesPerResponse: result["2xx"] ? Math.round(result.throughput.total / result["2xx"]) : 0,
    peakRssMb: round(peakRssMb, 1),
  };
}
