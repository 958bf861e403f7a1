// bench/results/<timestamp>.json (raw, gitignored) and bench/results/SUMMARY.md (readable, committed).
import fs from "node:fs";
import path from "node:path";
import type { RouteResult } from "./load";

export interface Machine {
  cpuModel: string;
  cpuCount: number;
  totalMemMb: number;
  platform: string;
  release: string;
  node: string;
}

export interface SizeResult {
  size: number;
  seedMs: number;
  serverStartMs: number;
  server: { pid: number; foundBy: "socket" | "largest"; peakRssMb: number };
  routes: RouteResult[];
  failures: string[];
}

export interface RunResult {
  startedAt: string;
  finishedAt: string;
  ok: boolean;
  machine: Machine;
  git: { commit: string | null; dirty: boolean | null };
  /** The production build that was served (.next/BUILD_ID and its mtime). */
  build: { id: string; builtAt: string } | null;
  options: { connections: number; durationS: number; warmupS: number; port: number };
  sizes: SizeResult[];
  error?: string;
}

export const RESULTS_DIR = path.resolve(import.meta.dirname, "results");

export function writeJson(run: RunResult): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${run.startedAt.replace(/:/g, "-")}.json`);
  fs.writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
  return file;
}

const ms = (v: number) => (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));

function sizeSection(run: RunResult, s: SizeResult): string {
  const floor = s.routes.find((r) => r.floor);
  const m = run.machine;
  const commit = run.git.commit
    ? `${run.git.commit.slice(0, 12)}${run.git.dirty ? " (uncommitted changes)" : ""}`
    : "unknown";
  const lines = [
    `<!-- size:${s.size} -->`,
    `## ${s.size.toLocaleString("en-US")} users in the organization`,
    "",
    `${run.startedAt} · commit ${commit} · ${m.cpuCount} × ${m.cpuModel}, ${Math.round(m.totalMemMb / 1024)} GB RAM, ` +
      `Node ${m.node} · ${run.options.connections} connections × ${run.options.durationS} s per route after a ` +
      `${run.options.warmupS} s warm-up`,
    "",
    "| Route | Median (ms) | × floor | p99 (ms) | req/s | non-2xx | Peak RSS (MB) |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const r of s.routes) {
    const ratio = floor && floor.medianMs > 0 ? `${(r.medianMs / floor.medianMs).toFixed(1)}×` : "–";
    const bad = r.non2xx + r.errors + r.timeouts;
    lines.push(
      `| \`${r.path}\`${r.floor ? " (floor)" : ""} | ${ms(r.medianMs)} | ${ratio} | ${ms(r.p99Ms)} | ` +
        `${Math.round(r.reqPerSec)} | ${bad ? `**${r.non2xx}** (+${r.errors} errors)` : "0"} | ${Math.round(r.peakRssMb)} |`,
    );
  }
  lines.push(
    "",
    `Seeded in ${(s.seedMs / 1000).toFixed(1)} s; server ready in ${(s.serverStartMs / 1000).toFixed(1)} s; ` +
      `serving process peak RSS over the whole run (VmHWM): ${Math.round(s.server.peakRssMb)} MB.`,
  );
  if (s.failures.length) lines.push("", ...s.failures.map((f) => `- **FAILED:** ${f}`));
  lines.push(`<!-- /size:${s.size} -->`);
  return lines.join("\n");
}

const HEADER = `# Benchmark summary

The latest \`npm run bench\` result for each organization size (a later run replaces only the sizes it measured).
What the numbers mean and how to run it: [bench/README.md](../README.md). Raw results: \`bench/results/*.json\`
(not committed).
`;

/** Replaces (or adds) the sections of the sizes in `run`, keeping the other sizes' latest sections. */
export function updateSummary(run: RunResult): string {
  const file = path.join(RESULTS_DIR, "SUMMARY.md");
  const sections = new Map<number, string>();
  if (fs.existsSync(file)) {
    const text = fs.readFileSync(file, "utf8");
    for (const m of text.matchAll(/<!-- size:(\d+) -->[\s\S]*?<!-- \/size:\1 -->/g)) {
      sections.set(Number(m[1]), m[0]);
    }
  }
  for (const s of run.sizes) sections.set(s.size, sizeSection(run, s));
  const body = [...sections.entries()].sort(([a], [b]) => a - b).map(([, text]) => text);
  fs.writeFileSync(file, `${HEADER}\n${body.join("\n\n")}\n`);
  return file;
}
