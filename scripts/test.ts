// `npm test`: the whole suite — static checks, unit, integration (real PostgreSQL), production build, end-to-end
// (Playwright, real Chromium against the built app on a fresh database). The build runs beside the checks, the browser
// suite after both (beside the integration tests, two cores time real pages out):
//   checks:  typecheck → lint → unit → integration
//   app:     build (scripts/build.mjs --if-stale: stamps the source hash; skipped when the build is of these very
//            sources) → (checks done) → e2e (`playwright test`, whose web server finds the build up to date and
//            reuses it: one production build per run)
// The app lane is printed as it runs; each checks-lane stage is printed whole when it ends. Prints a summary whose
// last line is "N passed, N failed". Uses DATABASE_URL's (local) server for fresh test databases when set, else an
// embedded in-memory PGlite. `npm test -- <stage>` runs one stage (static | typecheck | lint | unit | integration |
// build | e2e).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

type Counts = { passed: number; failed: number };
type Stage = Counts & { name: string; seconds: number; ok: boolean };
const stages: Stage[] = [];
const bin = (name: string) => path.resolve("node_modules/.bin", name);
const only = process.argv[2];
const selected = (name: string) =>
  !only || only === name || (only === "static" && (name === "typecheck" || name === "lint"));
const t0 = performance.now();
const clock = () => `${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s`;

async function run(
  name: string,
  command: string,
  args: string[],
  opts: { count?: () => Counts; env?: Record<string, string>; live?: boolean } = {},
): Promise<boolean> {
  if (!selected(name)) return true;
  console.log(`${clock()} ▶ ${name}: ${[path.basename(command), ...args].join(" ")}`);
  const started = performance.now();
  const output: Buffer[] = [];
  const code = await new Promise<number>((resolve) => {
    const child = spawn(command, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", FORCE_COLOR: "1", ...opts.env },
    });
    const take = (d: Buffer) => (opts.live ? process.stdout.write(d) : output.push(d));
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", (e) => {
      output.push(Buffer.from(`${e.message}\n`));
      resolve(1);
    });
    child.on("close", (c) => resolve(c ?? 1));
  });
  const seconds = (performance.now() - started) / 1000;
  const ok = code === 0;
  let counts = { passed: ok ? 1 : 0, failed: ok ? 0 : 1 };
  if (opts.count) {
    try {
      counts = opts.count();
      if (!ok && counts.failed === 0) counts.failed = 1; // the runner failed outside any test
    } catch {
      // no report written: the runner crashed; counted as one failure above
    }
  }
  stages.push({ name, ...counts, seconds, ok });
  console.log(`\n━━ ${name} ━━ ${ok ? "passed" : "FAILED"} in ${seconds.toFixed(1)} s`);
  process.stdout.write(Buffer.concat(output));
  console.log(`${clock()} ${ok ? "✓" : "✗"} ${name}`);
  return ok;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "twofold-test-"));
// Each failed test's name and the first lines of its error, printed again at the very end: a CI log that keeps only
// its tail still says what failed and where.
const failures: string[] = [];
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
const firstLines = (text: string, n = 8) =>
  text
    .replace(ANSI, "")
    .split("\n")
    .filter((l) => l.trim())
    .slice(0, n)
    .map((l) => `    ${l.slice(0, 240)}`);
const vitestCounts = (file: string) => () => {
  const report = JSON.parse(fs.readFileSync(file, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    testResults: {
      name: string;
      assertionResults: { fullName: string; status: string; failureMessages: string[] }[];
    }[];
  };
  for (const f of report.testResults)
    for (const a of f.assertionResults)
      if (a.status === "failed")
        failures.push(
          `✗ ${path.relative(process.cwd(), f.name)} › ${a.fullName}`,
          ...firstLines(a.failureMessages.join("\n")),
        );
  return { passed: report.numPassedTests, failed: report.numFailedTests };
};
type PlaywrightSuite = {
  title: string;
  file?: string;
  suites?: PlaywrightSuite[];
  specs?: {
    title: string;
    line: number;
    tests: {
      projectName: string;
      status: string;
      results: { status: string; error?: { message?: string; location?: { file: string; line: number } } }[];
    }[];
  }[];
};
const playwrightFailures = (suite: PlaywrightSuite, file: string) => {
  for (const spec of suite.specs ?? [])
    for (const t of spec.tests)
      if (t.status === "unexpected") {
        const last = t.results.at(-1);
        failures.push(
          `✗ [${t.projectName}] ${file}:${spec.line} › ${spec.title} (${last?.status ?? "?"})`,
          ...firstLines(last?.error?.message ?? ""),
          ...(last?.error?.location
            ? [`    at ${path.relative(process.cwd(), last.error.location.file)}:${last.error.location.line}`]
            : []),
        );
      }
  for (const s of suite.suites ?? []) playwrightFailures(s, file);
};
const playwrightCounts = (file: string) => () => {
  const report = JSON.parse(fs.readFileSync(file, "utf8")) as {
    stats: { expected: number; unexpected: number; flaky: number };
    suites: PlaywrightSuite[];
  };
  for (const s of report.suites) playwrightFailures(s, s.file ?? s.title);
  return { passed: report.stats.expected + report.stats.flaky, failed: report.stats.unexpected };
};
const vitest = (project: string) => {
  const out = path.join(tmp, `${project}.json`);
  return run(
    project,
    bin("vitest"),
    ["run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${out}`],
    { count: vitestCounts(out) },
  );
};

const checks = async () => {
  await run("typecheck", bin("tsc"), ["--noEmit"]);
  await run("lint", bin("biome"), ["check", "."]);
  await vitest("unit");
  await vitest("integration");
};
const checksDone = checks();
const app = async () => {
  // next build + the compiled server + the source stamp that lets the e2e web server reuse this build. Skipped when
  // the build in .next/ was made from exactly these sources (content hash): a fresh clone always builds.
  const built = await run("build", process.execPath, ["scripts/build.mjs", "--if-stale"], { live: true });
  if (!built && selected("e2e")) {
    stages.push({ name: "e2e", passed: 0, failed: 1, seconds: 0, ok: false });
    console.log(`${clock()} ✗ e2e: not run (the build failed)`);
    return;
  }
  // The browser suite runs alone: beside the integration tests, two cores time out real pages (seen: 60 s loads).
  await checksDone;
  const out = path.join(tmp, "e2e.json");
  await run("e2e", bin("playwright"), ["test"], {
    count: playwrightCounts(out),
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: out, E2E_BASE_URL: "" },
    live: true,
  });
};
await Promise.all([checksDone, app()]);

if (failures.length) console.log(`\n━━ what failed ━━\n${failures.join("\n")}`);
console.log("\n━━ summary ━━");
for (const s of stages) {
  console.log(
    `${s.ok ? "✓" : "✗"} ${s.name.padEnd(12)} ${String(s.passed).padStart(4)} passed ${String(s.failed).padStart(3)} failed  ${s.seconds.toFixed(1)} s`,
  );
}
const passed = stages.reduce((n, s) => n + s.passed, 0);
const failed = stages.reduce((n, s) => n + s.failed, 0);
console.log(`wall time ${((performance.now() - t0) / 1000).toFixed(1)} s (checks ‖ build, then e2e)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(stages.every((s) => s.ok) ? 0 : 1);
