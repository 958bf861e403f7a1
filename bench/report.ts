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

export interface SqlCase {
  name: string;
  medianMs: number;
  p99Ms: number;
}

export interface SizeResult {
  size: number;
  seedMs: number;
  serverStartMs: number;
  /** Null when the run measured no HTTP part. */
  server: {
    pid: number;
    foundBy: "socket" | "largest";
    /** VmHWM of the serving process over the whole size (startup and load). */
    peakRssMb: number;
    /** VmRSS when /api/health first answered. */
    rssAtReadyMb: number;
    /** VmRSS after one request per route and 10 quiet seconds, before any load. */
    rssIdleMb: number;
  } | null;
  routes: RouteResult[];
  failures: string[];
  /** bench/teammates-table.ts at this size (`sql` part). */
  sql?: { members: number; iterations: number; cases: SqlCase[]; exports: { name: string; ms: number; mb: number }[] };
  /** bench/enforcement.ts at this size (`enforcement` part). */
  enforcement?: {
    members: number;
    runs: number;
    medianMs: number;
    minMs: number;
    maxMs: number;
    sessionsRevoked: number;
    mailsQueued: number;
    outboxInsertStatements: number;
    delivered: number;
    providerCalls: number;
    deliveryS: number;
  };
}

export interface RunResult {
  startedAt: string;
  finishedAt: string;
  ok: boolean;
  machine: Machine;
  git: { commit: string | null; dirty: boolean | null };
  /** The production build that was served (.next/BUILD_ID and its mtime). */
  build: { id: string; builtAt: string } | null;
  options: {
    connections: number;
    durationS: number;
    warmupS: number;
    /** Interleaved rounds (absent in runs before the option existed: one). */
    rounds?: number;
    port: number;
    parts?: string[];
  };
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
const kb = (bytes: number) => (bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0);
const ratio = (a: number, b: number | undefined) => (b && b > 0 ? (a / b).toFixed(2) : "–");

function runLine(run: RunResult): string {
  const m = run.machine;
  const commit = run.git.commit
    ? `${run.git.commit.slice(0, 12)}${run.git.dirty ? " (uncommitted changes)" : ""}`
    : "unknown";
  return `${run.startedAt} · commit ${commit} · ${m.cpuCount} × ${m.cpuModel}, ${Math.round(m.totalMemMb / 1024)} GB RAM, Node ${m.node}`;
}

function httpSection(run: RunResult, s: SizeResult): string {
  const floor = s.routes.find((r) => r.floor);
  const signIn = s.routes.find((r) => r.part === "sign-in");
  const lines = [
    `<!-- http:${s.size} -->`,
    `## HTTP, ${s.size.toLocaleString("en-US")} users in the organization`,
    "",
    `${runLine(run)} · ${run.options.connections} connections × ${run.options.durationS} s per route` +
      `${(run.options.rounds ?? 1) > 1 ? ` in ${run.options.rounds} interleaved rounds` : ""} after a ` +
      `${run.options.warmupS} s warm-up · parts: ${(run.options.parts ?? []).join(", ") || "all HTTP"}`,
    "",
    "| Route | req/s | ÷ /sign-in | ÷ floor | Server CPU (ms/req) | Median (ms) | p99 (ms) | non-2xx | Body (KB) | Peak RSS (MB) |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const r of s.routes) {
    const bad = r.non2xx + r.errors + r.timeouts;
    const label = r.label.startsWith("/") ? `\`${r.label}\`` : r.label;
    lines.push(
      `| ${label}${r.floor ? " (floor)" : ""} | ${Math.round(r.reqPerSec)} | ${ratio(r.reqPerSec, signIn?.reqPerSec)} | ` +
        `${ratio(r.reqPerSec, floor?.reqPerSec)} | ${r.cpuMsPerRequest ?? "–"} | ${ms(r.medianMs)} | ${ms(r.p99Ms)} | ` +
        `${bad ? `**${r.non2xx}** (+${r.errors} errors)` : "0"} | ${kb(r.bodyBytes)} | ${Math.round(r.peakRssMb)} |`,
    );
  }
  const rsc = s.routes.filter((r) => r.rscBytes !== null);
  lines.push("");
  if (rsc.length) {
    lines.push(
      `Page bytes: HTML (with its inline RSC payload) in the table; the RSC payload alone on client navigation: ${rsc
        .map((r) => `\`${r.path}\` ${kb(r.rscBytes ?? 0)} KB`)
        .join(", ")}.`,
    );
  }
  if (s.server) {
    lines.push(
      `Serving process RSS: ${Math.round(s.server.rssAtReadyMb)} MB when ready, ${Math.round(s.server.rssIdleMb)} MB idle ` +
        `(one request per route, then 10 s quiet), ${Math.round(s.server.peakRssMb)} MB peak over the whole run (VmHWM). ` +
        `Seeded in ${(s.seedMs / 1000).toFixed(1)} s; server ready in ${(s.serverStartMs / 1000).toFixed(1)} s.`,
    );
  }
  if (s.failures.length) lines.push("", ...s.failures.map((f) => `- **FAILED:** ${f}`));
  lines.push(`<!-- /http:${s.size} -->`);
  return lines.join("\n");
}

function sqlSection(run: RunResult, s: SizeResult): string {
  const sql = s.sql;
  if (!sql) return "";
  const lines = [
    `<!-- sql:${s.size} -->`,
    `## Users-table SQL in process, ${sql.members.toLocaleString("en-US")} members`,
    "",
    `${runLine(run)} · \`npx tsx bench/teammates-table.ts ${sql.members} ${sql.iterations}\`: \`listTeammatesTable\` ` +
      "(membership check, page with security columns, count, organization), median and p99 over the iterations",
    "",
    "| View | Median (ms) | p99 (ms) |",
    "| --- | ---: | ---: |",
    ...sql.cases.map((c) => `| ${c.name} | ${ms(c.medianMs)} | ${ms(c.p99Ms)} |`),
    "",
    ...sql.exports.map((e) => `CSV export ${e.name}: ${e.ms.toFixed(0)} ms, ${e.mb.toFixed(1)} MB.`),
    `<!-- /sql:${s.size} -->`,
  ];
  return lines.join("\n");
}

function enforcementSection(run: RunResult, s: SizeResult): string {
  const e = s.enforcement;
  if (!e) return "";
  return [
    `<!-- enforcement:${s.size} -->`,
    `## Enforcement ("sign out members without 2FA now"), ${e.members.toLocaleString("en-US")} members all signed in`,
    "",
    `${runLine(run)} · \`npx tsx bench/enforcement.ts ${e.members} ${e.runs}\``,
    "",
    `Transaction: median ${e.medianMs.toFixed(0)} ms (min ${e.minMs.toFixed(0)}, max ${e.maxMs.toFixed(0)}) over ${e.runs} runs; ` +
      `${e.sessionsRevoked.toLocaleString("en-US")} sessions revoked; ${e.mailsQueued.toLocaleString("en-US")} mails queued ` +
      `in ${e.outboxInsertStatements} INSERT statement(s). Delivery: ${e.delivered.toLocaleString("en-US")} mails in ` +
      `${e.providerCalls} provider calls, ${e.deliveryS.toFixed(1)} s (rendering included).`,
    `<!-- /enforcement:${s.size} -->`,
  ].join("\n");
}

const HEADER = `# Benchmark summary

Generated by \`npm run bench\` (bench/report.ts): the latest result of each kind and size (a later run replaces only the
sections it measured). What the numbers mean and how to run it: [bench/README.md](../README.md). Raw results:
\`bench/results/*.json\` (not committed). The notes between the markers below are written by hand and kept.
`;

const NOTES = /<!-- notes -->[\s\S]*?<!-- \/notes -->/;

/** Replaces (or adds) the sections measured by `run`, keeping the others and the hand-written notes. */
export function updateSummary(run: RunResult): string {
  const file = path.join(RESULTS_DIR, "SUMMARY.md");
  const sections = new Map<string, string>();
  let notes = "<!-- notes -->\n<!-- /notes -->";
  if (fs.existsSync(file)) {
    const text = fs.readFileSync(file, "utf8");
    notes = NOTES.exec(text)?.[0] ?? notes;
    for (const m of text.matchAll(/<!-- (http|sql|enforcement):(\d+) -->[\s\S]*?<!-- \/\1:\2 -->/g)) {
      sections.set(`${m[1]}:${m[2]}`, m[0]);
    }
  }
  for (const s of run.sizes) {
    if (s.routes.length) sections.set(`http:${s.size}`, httpSection(run, s));
    if (s.sql) sections.set(`sql:${s.size}`, sqlSection(run, s));
    if (s.enforcement) sections.set(`enforcement:${s.size}`, enforcementSection(run, s));
  }
  const order = ["http", "sql", "enforcement"];
  const body = [...sections.entries()]
    .sort(([a], [b]) => {
      const [ka, na] = a.split(":") as [string, string];
      const [kb2, nb] = b.split(":") as [string, string];
      return order.indexOf(ka) - order.indexOf(kb2) || Number(na) - Number(nb);
    })
    .map(([, text]) => text);
  fs.writeFileSync(file, `${HEADER}\n${notes}\n\n${body.join("\n\n")}\n`);
  return file;
}
