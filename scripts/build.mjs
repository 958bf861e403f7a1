#!/usr/bin/env node
// `npm run build`: the Next production bundle (next build), the compiled server (scripts/build-server.mjs), then a
// stamp beside the build (.next/twofold-build.json) with the content hash of the sources it was built from. The
// end-to-end run (e2e/web-server.ts) compares that hash with the sources' current hash and rebuilds when they differ,
// so it never tests a stale build. `node scripts/build.mjs --if-stale` builds only when the stamp does not match.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildServer } from "./build-server.mjs";
import { buildStatus, sourceHash, writeBuildStamp } from "./source-hash.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Builds (always, or only when stale) and returns the stamp of the build now in .next/. */
export async function build({ ifStale = false, log = console.log } = {}) {
  if (ifStale) {
    const status = buildStatus(root);
    if (status.fresh) return status.stamp;
    log(`Building: ${status.reason}.`);
  }
  // Hashed before building: a source edited while the build runs makes the next run rebuild, never the reverse.
  const hash = sourceHash(root);
  const t0 = Date.now();
  const next = spawnSync(path.join(root, "node_modules/.bin/next"), ["build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (next.status !== 0) throw new Error(`next build failed (exit ${next.status ?? next.signal})`);
  await buildServer();
  const stamp = writeBuildStamp(root, { hash, builtAt: new Date().toISOString(), seconds: (Date.now() - t0) / 1000 });
  log(`Built ${stamp.hash.slice(0, 12)} in ${stamp.seconds.toFixed(0)} s.`);
  return stamp;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await build({ ifStale: process.argv.includes("--if-stale") });
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
