// The content hash of the sources a production build is made from, and the stamp that records it beside the build
// (.next/twofold-build.json). Files: everything git tracks or would track (untracked but not ignored), minus what
// does not go into the build (tests, e2e, docs, benchmarks, CI). Without git (an unpacked tarball), the same folders
// are walked. Hashing ~300 files takes a few milliseconds.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export const STAMP_FILE = ".next/twofold-build.json";

const EXCLUDED = [
  /^(e2e|test|docs|bench|\.ci)\//,
  /^scripts\/test\.ts$/, // the test runner, not part of the build
  /\.test\.tsx?$/,
  /\.md$/,
  /^(playwright|vitest)\.config\./,
  /^biome\.json$/,
  /^\.gitignore$/,
];
const WALKED = ["app", "components", "lib", "prisma", "scripts", "public"];
const SKIP_DIRS = new Set(["node_modules", ".next", "dist", "generated", ".data", "test-results", "playwright-report"]);

function listFiles(root) {
  try {
    const out = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    return out.split("\0").filter(Boolean);
  } catch {
    const files = fs.readdirSync(root).filter((f) => fs.statSync(path.join(root, f)).isFile());
    const walk = (dir) => {
      for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
        const rel = path.posix.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!SKIP_DIRS.has(entry.name)) walk(rel);
        } else files.push(rel);
      }
    };
    for (const dir of WALKED) if (fs.existsSync(path.join(root, dir))) walk(dir);
    return files;
  }
}

/** sha256 over (path, content) of every build input, in path order. */
export function sourceHash(root) {
  const files = listFiles(root)
    .filter((f) => !EXCLUDED.some((re) => re.test(f)))
    .sort();
  const hash = createHash("sha256");
  for (const file of files) {
    let content;
    try {
      content = fs.readFileSync(path.join(root, file));
    } catch {
      continue; // deleted but still in the index
    }
    hash.update(file).update("\0").update(content).update("\0");
  }
  return hash.digest("hex");
}

export function readBuildStamp(root) {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, STAMP_FILE), "utf8"));
  } catch {
    return null;
  }
}

export function writeBuildStamp(root, stamp) {
  fs.writeFileSync(path.join(root, STAMP_FILE), `${JSON.stringify(stamp, null, 2)}\n`);
  return stamp;
}

/** Whether the build in .next/ + dist/server/ was made from the sources as they are now, and if not, why. */
export function buildStatus(root) {
  const stamp = readBuildStamp(root);
  if (!fs.existsSync(path.join(root, ".next/BUILD_ID")) || !fs.existsSync(path.join(root, "dist/server/run.js"))) {
    return { fresh: false, stamp, reason: "there is no production build yet" };
  }
  if (!stamp) return { fresh: false, stamp, reason: "the build has no source stamp (built by something else)" };
  const hash = sourceHash(root);
  if (hash !== stamp.hash) {
    return { fresh: false, stamp, reason: `the sources changed since the build of ${stamp.builtAt}` };
  }
  return { fresh: true, stamp, reason: "up to date" };
}
