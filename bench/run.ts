// `npm run bench [-- sizes…] [parts…] [--build] [--duration 10] [--connections 10] [--warmup 2] [--rounds 1] [--port 3300]
//  [--verbose]`
//
// Parts (default: the HTTP ones, users export dashboard verify): `users` (the Users table, default / filtered, sorted
// and searched / searched by part of a name), `export` (CSV), `dashboard`, `verify` (the second sign-in step over
// HTTP), `sql` (bench/teammates-table.ts in process at each size), `enforcement` (bench/enforcement.ts at each size),
// `all`. The floor (/api/health) and /sign-in are measured in every HTTP run: every ratio is taken within one run; the
// lightest signed-in page (the console's shell) in every run with `users` or `dashboard`.
//
// For each organization size: a fresh database (local PostgreSQL from DATABASE_URL), one organization with N users,
// a signed-in owner; the production server started as `npm start` would; HTTP load on a few routes with autocannon,
// the framework floor (/api/health) measured in the same run; peak RSS of the serving process. Writes
// bench/results/<timestamp>.json and bench/results/SUMMARY.md. See bench/README.md.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { LoadSlice, RouteResult, RouteSpec } from "./load";
import type { RunResult, SizeResult } from "./report";
import { processTree, servingProcess, statusMb } from "./rss";
import { round } from "./stats";

const ROOT = path.resolve(import.meta.dirname, "..");
process.chdir(ROOT);

// ---------------------------------------------------------------------------------------------------------------
// Options

const HTTP_PARTS = ["users", "export", "dashboard", "verify"] as const;
const PARTS = [...HTTP_PARTS, "sql", "enforcement"] as const;
type Part = (typeof PARTS)[number];

function parseArgs(argv: string[]) {
  const opts = {
    sizes: [] as number[],
    parts: new Set<Part>(),
    build: false,
    duration: 10,
    connections: 10,
    warmup: 2,
    rounds: 1,
    port: 3300,
    verbose: false,
  };
  const numeric = new Set(["duration", "connections", "warmup", "rounds", "port"]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--build") opts.build = true;
    else if (arg === "--verbose") opts.verbose = true;
    else if (arg === "--help" || arg === "-h") {
      console.log(
        `usage: npm run bench -- [sizes…] [${PARTS.join("|")}|all…] [--build] [--duration s] [--connections n] [--warmup s] [--rounds n] [--port n] [--verbose]`,
      );
      process.exit(0);
    } else if (arg.startsWith("--")) {
      const [name, inline] = arg.slice(2).split("=", 2) as [string, string | undefined];
      if (!numeric.has(name)) throw new Error(`unknown option ${arg}`);
      const value = Number(inline ?? argv[++i]);
      if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} needs a non-negative number`);
      (opts as Record<string, unknown>)[name] = value;
    } else if (arg === "all") {
      for (const p of PARTS) opts.parts.add(p);
    } else if ((PARTS as readonly string[]).includes(arg)) {
      opts.parts.add(arg as Part);
    } else {
      const size = Number(arg.replace(/[_,]/g, ""));
      if (!Number.isInteger(size) || size < 1) {
        throw new Error(`not a size (positive integer) nor a part (${PARTS.join(", ")}, all): ${arg}`);
      }
      opts.sizes.push(size);
    }
  }
  if (opts.sizes.length === 0) opts.sizes = [1_000, 10_000];
  if (opts.parts.size === 0) for (const p of HTTP_PARTS) opts.parts.add(p);
  if (opts.duration <= 0 || opts.connections < 1) throw new Error("--duration and --connections must be positive");
  if (!Number.isInteger(opts.rounds) || opts.rounds < 1) throw new Error("--rounds must be a positive integer");
  return opts;
}

let opts: ReturnType<typeof parseArgs>;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (e) {
  console.error(`bench: ${(e as Error).message}`);
  process.exit(64);
}

if (process.platform !== "linux") {
  console.error("bench: RSS sampling reads /proc; run the benchmark on Linux.");
  process.exit(1);
}
if (!process.env.DATABASE_URL) {
  console.error(
    "bench: set DATABASE_URL to a local PostgreSQL server, e.g.\n" +
      "  DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench\n" +
      "(each size gets its own fresh database there, dropped afterwards).",
  );
  process.exit(1);
}

// The bench process and the server share these (lib/env.ts reads process.env when first imported, so every import of
// application code below is dynamic and comes after this).
const baseUrl = `http://127.0.0.1:${opts.port}`;
process.env.NEXTAUTH_URL = baseUrl;
process.env.NEXTAUTH_SECRET ||= randomBytes(32).toString("base64url");
process.env.OUTBOX_WORKER = "off";
if (!process.env.TWOFACTOR_ENCRYPTION_KEYS) {
  process.env.TWOFACTOR_ENCRYPTION_KEYS = `1:${randomBytes(32).toString("base64")}`;
  process.env.TWOFACTOR_KEY_VERSION = "1";
}
process.env.NEXT_TELEMETRY_DISABLED = "1";
const secret = process.env.NEXTAUTH_SECRET;

const log = (msg: string) => console.log(`[bench] ${msg}`);

// ---------------------------------------------------------------------------------------------------------------
// Cleanup, also on Ctrl+C

interface Running {
  server?: ChildProcess;
  closeClient?: () => Promise<void>;
  dropDatabase?: () => Promise<void>;
}
const running: Running = {};

async function stopServer(): Promise<void> {
  const child = running.server;
  running.server = undefined;
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), signal); // the server's own process group (spawned detached)
    } catch {
      // already gone
    }
  };
  signalGroup("SIGTERM");
  const timer = setTimeout(() => signalGroup("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
  signalGroup("SIGKILL"); // any straggler left in the group
}

async function cleanup(): Promise<void> {
  await stopServer();
  const { closeClient, dropDatabase } = running;
  running.closeClient = undefined;
  running.dropDatabase = undefined;
  await closeClient?.().catch((e: unknown) => console.error(`[bench] closing the database client: ${e}`));
  await dropDatabase?.().catch((e: unknown) => console.error(`[bench] dropping the database: ${e}`));
}

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`\n[bench] ${signal}: stopping the server and dropping the database…`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Build, machine, git

function buildInfo(): { id: string; builtAt: string } | null {
  const file = path.join(ROOT, ".next/BUILD_ID");
  if (!fs.existsSync(file)) return null;
  return { id: fs.readFileSync(file, "utf8").trim(), builtAt: fs.statSync(file).mtime.toISOString() };
}

function ensureBuild(force: boolean): void {
  const existing = buildInfo();
  if (existing && !force) {
    log(`using the existing production build ${existing.id} (built ${existing.builtAt}; --build to rebuild)`);
    return;
  }
  log(force ? "--build: running `next build`…" : "no production build yet: running `next build`…");
  const result = spawnSync(path.join(ROOT, "node_modules/.bin/next"), ["build"], {
    stdio: "inherit",
    env: process.env,
  });
  if (result.status !== 0) throw new Error("`next build` failed (see its output above)");
}

/** The compiled server that `npm start` runs (about a second; always, so it matches the sources). */
function compileServer(): void {
  const result = spawnSync(process.execPath, [path.join(ROOT, "scripts/build-server.mjs")], { stdio: "inherit" });
  if (result.status !== 0) throw new Error("compiling the server failed (see its output above)");
}

function git(args: string[]): string | null {
  const r = spawnSync("git", args, { cwd: ROOT, encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

function machine(): RunResult["machine"] {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cpuCount: cpus.length,
    totalMemMb: Math.round(os.totalmem() / 1024 / 1024),
    platform: process.platform,
    release: os.release(),
    node: process.version,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The server

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** The id the production build gave a server action (`exportedName` of `filename`, used by a page under `page`). */
function serverActionId(filename: string, exportedName: string, page: string): string {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(ROOT, ".next/server/server-reference-manifest.json"), "utf8"),
  ) as {
    node: Record<string, { filename?: string; exportedName?: string; workers: Record<string, unknown> }>;
  };
  const found = Object.entries(manifest.node).find(
    ([, a]) =>
      a.filename === filename &&
      a.exportedName === exportedName &&
      Object.keys(a.workers).some((w) => w.includes(page)),
  );
  if (!found) throw new Error(`no server action ${exportedName} of ${filename} in the build (run with --build)`);
  return found[0];
}

async function startServer(databaseUrl: string): Promise<{ child: ChildProcess; readyMs: number; logTail: string[] }> {
  if (await portInUse(opts.port)) throw new Error(`port ${opts.port} is already in use (use --port)`);
  const started = performance.now();
  const logTail: string[] = [];
  compileServer();
  // BENCH_SERVER_NODE_ARGS: Node options for the serving process only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" for a
  // CPU profile of the server under the bench's load (written when the bench stops it).
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, "scripts/start.mjs"], {
    cwd: ROOT,
    detached: true, // own process group: stopped as a whole, and not hit twice by the terminal's Ctrl+C
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(opts.port),
      HOSTNAME_BIND: "127.0.0.1",
      NEXTAUTH_URL: baseUrl,
      NEXTAUTH_SECRET: secret,
      // As `npm start` sets it (package.json): glibc's malloc keeps at most 2 arenas (issue 13 target 7).
      MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? "2",
      OUTBOX_WORKER: "off",
      // A production configuration (not the demo): mail stays in the database.
      MAIL_TRANSPORT: "local",
      SMS_TRANSPORT: "local", // texts kept in the database: a production start otherwise requires Twilio (issue 12)
      MAIL_FROM: "Twofold bench <bench@twofold.local>",
    },
  });
  running.server = child;
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    if (opts.verbose) process.stderr.write(text);
    logTail.push(...text.split("\n").filter(Boolean));
    if (logTail.length > 200) logTail.splice(0, logTail.length - 200);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);

  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `the server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${logTail.join("\n")}`,
      );
    }
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok) return { child, readyMs: performance.now() - started, logTail };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server did not answer /api/health within 180 s:\n${logTail.join("\n")}`);
}

// ---------------------------------------------------------------------------------------------------------------
// One size

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A micro-benchmark script in its own process (its own fresh database); its last `BENCH_JSON {…}` line is the result. */
function runScript(script: string, args: string[]): Record<string, unknown> {
  log(`running ${script} ${args.join(" ")}…`);
  const r = spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), [script, ...args], {
    cwd: ROOT,
    env: process.env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  const lines = (r.stdout ?? "").split("\n");
  for (const line of lines) if (line && !line.startsWith("BENCH_JSON ")) console.log(`  ${line}`);
  const json = lines.reverse().find((l) => l.startsWith("BENCH_JSON "));
  if (r.status !== 0 || !json) throw new Error(`${script} failed (exit ${r.status})`);
  return JSON.parse(json.slice("BENCH_JSON ".length));
}

async function benchHttp(size: number): Promise<SizeResult> {
  const { createTestDatabase } = await import("../test/test-database");
  const { openBenchDatabase } = await import("./seed");
  const { loadSlice, mergeSlices, preflight } = await import("./load");
  const { totpAt } = await import("../lib/crypto/totp");

  log(`── ${size.toLocaleString("en-US")} users ──`);
  const database = await createTestDatabase("twofold_bench");
  running.dropDatabase = database.drop;
  log(`fresh database ${new URL(database.url).pathname.slice(1)}`);

  const bench = openBenchDatabase(database.url);
  running.closeClient = bench.close;
  const org = await bench.seed(size);
  log(`seeded ${org.users.toLocaleString("en-US")} users in ${(org.seedMs / 1000).toFixed(1)} s`);
  const session = await bench.signIn(org.ownerId, secret);
  log(`owner ${org.ownerEmail} signed in (session row + ${session.cookieName} cookie)`);

  const server = await startServer(database.url);
  log(`server ready in ${(server.readyMs / 1000).toFixed(1)} s`);
  const serving = servingProcess(server.child.pid as number, opts.port);
  if (!serving) throw new Error("could not find the server's processes in /proc");
  const tree = processTree(server.child.pid as number);
  const rssAtReady = statusMb(serving.pid, "VmRSS") ?? 0;
  log(
    `serving process ${serving.pid} (found by ${serving.how}; tree: ${tree.join(", ")}); RSS ${Math.round(rssAtReady)} MB`,
  );

  // The second step over HTTP (issue 13, target 5): the verify page's server action, posted as the browser posts it
  // (Next-Action header, the arguments as JSON), with a pending challenge cookie and a valid TOTP code, answered with
  // the session cookie. The action runs next-auth in-process (lib/auth/sign-in.ts): there is no public next-auth
  // callback for it. Each request takes the next user of a pool (one challenge per user, each code used once per
  // user), seeded right before its load and sized from the floor's rate in this run.
  let verifyRoute: RouteSpec | null = null;
  let pool = { totpSecret: "", challengeTokens: [] as string[] };
  let next = 0;
  const seedPool = async (floorReqPerSec: number) => {
    const size = Math.max(500, Math.ceil(floorReqPerSec * (opts.duration + opts.warmup + 1) * 1.5));
    const seeded = await bench.secondStepPool(size);
    pool = seeded;
    next = 0;
    log(
      `second-step pool: ${size.toLocaleString("en-US")} users with a pending challenge in ${(seeded.seedMs / 1000).toFixed(1)} s`,
    );
  };
  if (opts.parts.has("verify")) {
    const actionId = serverActionId("app/(auth)/actions.ts", "verifySignInAction", "sign-in/verify");
    let code = { step: -1, value: "" };
    const currentCode = () => {
      const step = Math.floor(Date.now() / 30_000);
      if (code.step !== step) code = { step, value: totpAt(pool.totpSecret, { time: Date.now() }) };
      return code.value;
    };
    verifyRoute = {
      path: "/sign-in/verify",
      label: "POST /sign-in/verify (second step's server action: code → session)",
      part: "verify",
      auth: false,
      post: {
        setupRequest: () => {
          const token = pool.challengeTokens[next++] ?? "pool-exhausted";
          return {
            headers: {
              "content-type": "text/plain;charset=UTF-8",
              accept: "text/x-component",
              "next-action": actionId,
              origin: baseUrl,
              cookie: `twofold-challenge=${token}`,
            },
            body: JSON.stringify([{ method: "totp", code: currentCode(), rememberDevice: false }]),
          };
        },
        check: (res, body) =>
          res.status !== 200
            ? `answered ${res.status}: ${body.slice(0, 200)}`
            : !(res.headers.getSetCookie?.() ?? []).some((c) => c.startsWith(`${session.cookieName}=`))
              ? `answered 200 without a session cookie: ${body.slice(0, 200)}`
              : null,
      },
    };
  }

  const allRoutes: RouteSpec[] = [
    { path: "/api/health", part: "floor", auth: false, floor: true, expect: "ok" },
    { path: "/sign-in", part: "sign-in", auth: false, expect: "Sign in to Twofold" },
    // The reference for the signed-in pages: what any console page costs before its own content (the session, the 2FA
    // gate, the membership, the console's shell and navigation) with one small form as its content.
    {
      path: "/profile/security/password",
      label: "Lightest signed-in page (`/profile/security/password`: the console's shell and one form)",
      part: "shell",
      auth: true,
      expect: "Change password",
    },
    { path: "/settings/users", part: "users", auth: true, expect: org.ownerEmail, rsc: true },
    // Searched, filtered and sorted by name (descending), and searched by part of a name, sorted by email.
    {
      path: "/settings/users?q=a&status=not-set-up&type=employee&sort=name&dir=desc",
      part: "users",
      auth: true,
      expect: "matching)",
    },
    { path: "/settings/users?q=perei&sort=email", part: "users", auth: true, expect: "matching)" },
    {
      path: "/settings/users/export?status=not-set-up&type=contractor&sort=name",
      part: "export",
      auth: true,
      expect: '"name","email"',
    },
    {
      path: "/dashboard",
      part: "dashboard",
      auth: true,
      expect: `Welcome, ${org.ownerName.split(" ")[0]}`,
      rsc: true,
    },
    ...(verifyRoute ? [verifyRoute] : []),
  ];
  const routes = allRoutes.filter(
    (r) =>
      r.part === "floor" ||
      r.part === "sign-in" ||
      (r.part === "shell" && (opts.parts.has("users") || opts.parts.has("dashboard"))) ||
      opts.parts.has(r.part as Part),
  );
  const failures: string[] = [];

  // The cookie must be accepted by next-auth itself too (its jwt callback re-checks the session row).
  const nextAuth = await fetch(`${baseUrl}/api/auth/session`, { headers: { cookie: session.cookie } });
  const nextAuthSession = (await nextAuth.json().catch(() => ({}))) as { expires?: string };
  if (nextAuth.status !== 200 || !nextAuthSession.expires) {
    failures.push(`/api/auth/session did not accept the session cookie (${nextAuth.status})`);
  }

  // Idle memory: every route requested once (its code loaded), then a few quiet seconds.
  const sizes = new Map<RouteSpec, { bodyBytes: number; rscBytes: number | null }>();
  for (const route of routes) {
    if (route.post) continue; // the second step: checked right after its pool is seeded
    try {
      sizes.set(route, await preflight(route, baseUrl, session.cookie));
    } catch (e) {
      failures.push((e as Error).message);
      log(`✗ ${(e as Error).message}`);
    }
  }
  // V8 gives memory back when the process has been idle a few seconds (its memory reducer), not at once.
  await sleep(10_000);
  const rssIdle = statusMb(serving.pid, "VmRSS") ?? 0;
  log(`idle RSS (one request per route, then 10 s quiet): ${Math.round(rssIdle)} MB`);

  // Each route is loaded for `duration` seconds in all: in one go, or with `--rounds N` in N interleaved slices (every
  // route for duration/N seconds, then every route again…), so that a machine whose speed drifts during the run (a
  // shared host) slows every route alike and the ratios stay comparable. The warm-up is in the first round only.
  const slices = new Map<RouteSpec, LoadSlice[]>();
  for (let round = 0; round < opts.rounds; round++) {
    for (const route of routes) {
      if (route.post && round === 0) {
        try {
          const floor = routes.find((r) => r.floor);
          const floorSlice = floor ? slices.get(floor)?.[0] : undefined;
          await seedPool(floorSlice ? floorSlice.latencies.length / floorSlice.durationS : 1_000);
          sizes.set(route, await preflight(route, baseUrl, session.cookie));
        } catch (e) {
          failures.push((e as Error).message);
          log(`✗ ${(e as Error).message}`);
        }
      }
      if (!sizes.has(route)) continue;
      const slice = await loadSlice(route, {
        baseUrl,
        connections: opts.connections,
        duration: opts.duration / opts.rounds,
        warmup: round === 0 ? opts.warmup : 0,
        cookie: session.cookie,
        servingPid: serving.pid,
      });
      slices.set(route, [...(slices.get(route) ?? []), slice]);
    }
  }
  const results: RouteResult[] = [];
  for (const route of routes) {
    const measured = sizes.get(route);
    const routeSlices = slices.get(route);
    if (!measured || !routeSlices) continue;
    const r = mergeSlices(route, measured, routeSlices);
    results.push(r);
    const bad = r.non2xx + r.errors + r.timeouts;
    if (r.requests === 0) failures.push(`${r.label}: no response completed within the ${opts.duration} s run`);
    if (bad) {
      failures.push(
        `${r.label}: ${r.non2xx} non-2xx responses, ${r.errors} errors, ${r.timeouts} timeouts ` +
          `(status codes ${JSON.stringify(r.statusCodes)})`,
      );
    }
    log(
      `${bad ? "✗" : "✓"} ${r.label.padEnd(16)} median ${r.medianMs.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms  ` +
        `${Math.round(r.reqPerSec)} req/s  CPU ${r.cpuMsPerRequest ?? "?"} ms/req  non-2xx ${r.non2xx}  peak RSS ${Math.round(r.peakRssMb)} MB  ` +
        `${(r.bodyBytes / 1024).toFixed(1)} KB`,
    );
  }
  const peakRssMb = statusMb(serving.pid, "VmHWM") ?? Math.max(0, ...results.map((r) => r.peakRssMb));
  if (failures.length) console.error(`[bench] server log (tail):\n${server.logTail.slice(-40).join("\n")}`);

  await cleanup();
  return {
    size,
    seedMs: Math.round(org.seedMs),
    serverStartMs: Math.round(server.readyMs),
    server: {
      pid: serving.pid,
      foundBy: serving.how,
      peakRssMb: round(peakRssMb, 1),
      rssAtReadyMb: round(rssAtReady, 1),
      rssIdleMb: round(rssIdle, 1),
    },
    routes: results,
    failures,
  };
}

async function benchSize(size: number): Promise<SizeResult> {
  const wantsHttp = HTTP_PARTS.some((p) => opts.parts.has(p));
  const result: SizeResult = wantsHttp
    ? await benchHttp(size)
    : { size, seedMs: 0, serverStartMs: 0, server: null, routes: [], failures: [] };
  if (opts.parts.has("sql")) {
    try {
      result.sql = runScript("bench/teammates-table.ts", [String(size), "30"]) as unknown as SizeResult["sql"];
    } catch (e) {
      result.failures.push((e as Error).message);
    }
  }
  if (opts.parts.has("enforcement")) {
    try {
      result.enforcement = runScript("bench/enforcement.ts", [
        String(size),
        "3",
      ]) as unknown as SizeResult["enforcement"];
    } catch (e) {
      result.failures.push((e as Error).message);
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Main

const { updateSummary, writeJson } = await import("./report");
const gitStatus = git(["status", "--porcelain"]);
const run: RunResult = {
  startedAt: new Date().toISOString(),
  finishedAt: "",
  ok: false,
  machine: machine(),
  git: {
    commit: git(["rev-parse", "HEAD"]),
    dirty: gitStatus === null ? null : gitStatus.length > 0,
  },
  build: null,
  options: {
    connections: opts.connections,
    durationS: opts.duration,
    warmupS: opts.warmup,
    rounds: opts.rounds,
    port: opts.port,
    parts: [...opts.parts],
  },
  sizes: [],
};

let exitCode = 0;
try {
  if (HTTP_PARTS.some((p) => opts.parts.has(p))) ensureBuild(opts.build);
  run.build = buildInfo();
  for (const size of opts.sizes) {
    run.sizes.push(await benchSize(size));
  }
  run.ok = run.sizes.every((s) => s.failures.length === 0);
} catch (e) {
  run.error = (e as Error).message;
  console.error(`[bench] ${(e as Error).message}`);
} finally {
  await cleanup();
}
run.finishedAt = new Date().toISOString();

if (run.sizes.length) log(`raw results: ${path.relative(ROOT, writeJson(run))}`);
if (run.ok) {
  log(`summary: ${path.relative(ROOT, updateSummary(run))}`);
} else {
  for (const s of run.sizes) for (const f of s.failures) console.error(`[bench] FAILED (${s.size} users): ${f}`);
  console.error("[bench] the run failed: SUMMARY.md was not updated.");
  exitCode = 1;
}
process.exit(exitCode);
