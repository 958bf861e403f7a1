// `npm test`: the whole suite, in order — static checks, unit, integration (real PostgreSQL), production build,
// end-to-end (Playwright, real Chromium against the built app on a fresh database). Prints a summary whose last
// line is "N passed, N failed". Uses DATABASE_URL's (local) server for fresh test databases when set, else an
// embedded in-memory PGlite.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

type Stage = { name: string; passed: number; failed: number; seconds: number; ok: boolean };
const stages: Stage[] = [];
const bin = (name: string) => path.resolve("node_modules/.bin", name);
const only = process.argv[2]; // optional: static | unit | integration | e2e

function run(name: string, command: string, args: string[], count?: () => { passed: number; failed: number }) {
  if (only && only !== name) return;
  console.log(`\n━━ ${name} ━━ ${[path.basename(command), ...args].join(" ")}`);
  const t0 = performance.now();
  const r = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  const seconds = (performance.now() - t0) / 1000;
  const ok = r.status === 0;
  let counts = { passed: ok ? 1 : 0, failed: ok ? 0 : 1 };
  if (count) {
    try {
      counts = count();
      if (!ok && counts.failed === 0) counts.failed = 1; // the runner failed outside any test
    } catch {
      // no report written: the runner crashed; counted as one failure above
    }
  }
  stages.push({ name, ...counts, seconds, ok });
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "twofold-test-"));
const vitestCounts = (file: string) => () => {
  const report = JSON.parse(fs.readFileSync(file, "utf8")) as { numPassedTests: number; numFailedTests: number };
  return { passed: report.numPassedTests, failed: report.numFailedTests };
};
const playwrightCounts = (file: string) => () => {
  const report = JSON.parse(fs.readFileSync(file, "utf8")) as {
    stats: { expected: number; unexpected: number; flaky: number };
  };
  return { passed: report.stats.expected + report.stats.flaky, failed: report.stats.unexpected };
};

run("typecheck", bin("tsc"), ["--noEmit"]);
run("lint", bin("biome"), ["check", "."]);
for (const project of ["unit", "integration"]) {
  const out = path.join(tmp, `${project}.json`);
  run(
    project,
    bin("vitest"),
    ["run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${out}`],
    vitestCounts(out),
  );
}
run("build", "npm", ["run", "build"]); // next build + the compiled server (scripts/build-server.mjs)
{
  const out = path.join(tmp, "e2e.json");
  process.env.PLAYWRIGHT_JSON_OUTPUT_NAME = out;
  run("e2e", bin("tsx"), ["e2e/run.ts"], playwrightCounts(out));
}

console.log("\n━━ summary ━━");
for (const s of stages) {
  console.log(
    `${s.ok ? "✓" : "✗"} ${s.name.padEnd(12)} ${String(s.passed).padStart(4)} passed ${String(s.failed).padStart(3)} failed  ${s.seconds.toFixed(1)} s`,
  );
}
const passed = stages.reduce((n, s) => n + s.passed, 0);
const failed = stages.reduce((n, s) => n + s.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(stages.every((s) => s.ok) ? 0 : 1);
