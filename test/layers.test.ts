// The layers of ARCHITECTURE.md, checked on every import of every source file: data flows one way
// (app → lib/services → lib/db), components stay primitives, and only lib/db.ts touches the generated Prisma client.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const SCANNED = ["app", "components", "lib", "test", "scripts", "bench", "prisma", "e2e"];
const SKIPPED = new Set(["lib/generated", "bench/results", "node_modules"]);

/** Files allowed to import the generated Prisma client besides lib/db.ts, each with its reason. */
const GENERATED_CLIENT_EXCEPTIONS: Record<string, string> = {
  "bench/seed.ts": "bulk-inserts benchmark data through a client of its own (a larger pool, no omitted columns)",
  "test/plan-database.ts":
    "the query-plan tests read plans on a separate large database through a client of its own that logs every statement",
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, entry.name);
    if (SKIPPED.has(rel)) continue;
    if (entry.isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.(ts|tsx|mts|mjs)$/.test(entry.name)) out.push(rel);
  }
  return out;
}

/** Every module specifier of a file (static imports, re-exports, dynamic imports, vi.mock), resolved to a
 *  repository-relative path for "@/" and relative specifiers; packages stay as written. */
function importsOf(file: string, source: string): string[] {
  const specs: string[] = [];
  const re = /(?:\bfrom|\bimport|\bmock)\s*\(?\s*["']([^"']+)["']/g;
  for (const match of source.matchAll(re)) {
    const spec = match[1] as string;
    if (spec.startsWith("@/")) specs.push(spec.slice(2));
    else if (spec.startsWith(".")) specs.push(path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)));
    else specs.push(spec);
  }
  return specs;
}

/** Imports that break a rule on purpose, each with its reason (keep this list short). */
const RULE_EXCEPTIONS: Record<string, string> = {
  "lib/validation/teammates.test.ts → components/teammates/href":
    "a round-trip test: the URL the Users table writes is the one the validation parses (move it beside the table)",
};

const under = (target: string, dir: string) => target === dir || target.startsWith(`${dir}/`);

/** The layer rules broken by one import of `file` (empty when it is allowed). */
function violations(file: string, target: string): string[] {
  const found: string[] = [];
  if (under(file, "lib") && (under(target, "app") || under(target, "components")))
    found.push("lib/ never imports app/ or components/");
  if (under(file, "components")) {
    if (under(target, "app")) found.push("components/ never imports app/ (actions come in as props)");
    if (under(target, "lib/services")) found.push("components/ never imports lib/services (data comes in as props)");
    if (target === "lib/db" || under(target, "lib/db") || under(target, "lib/db-tools"))
      found.push("components/ never imports lib/db");
  }
  if (
    under(file, "lib/services") &&
    (target === "next" || target.startsWith("next/") || target.startsWith("next-auth"))
  )
    found.push("services never import next/* (they run outside a request too)");
  if (under(target, "lib/generated") && file !== "lib/db.ts" && !(file in GENERATED_CLIENT_EXCEPTIONS))
    found.push("only lib/db.ts imports the generated Prisma client (enums and types: from lib/db)");
  return found;
}

describe("layers", () => {
  it("the rules catch what they are meant to catch", () => {
    expect(violations("lib/services/x.ts", "app/(console)/actions")).toHaveLength(1);
    expect(violations("lib/auth/guards.ts", "components/ui/button")).toHaveLength(1);
    expect(violations("components/ui/x.tsx", "app/(console)/step-up-action")).toHaveLength(1);
    expect(violations("components/ui/x.tsx", "lib/services/teammates/teammates")).toHaveLength(1);
    expect(violations("components/ui/x.tsx", "lib/db")).toHaveLength(1);
    expect(violations("lib/services/audit/audit-log.ts", "next/headers")).toHaveLength(1);
    expect(violations("lib/services/authz.ts", "lib/generated/prisma/enums")).toHaveLength(1);
    expect(violations("app/page.tsx", "lib/generated/prisma/client")).toHaveLength(1);
    expect(violations("lib/db.ts", "lib/generated/prisma/client")).toEqual([]);
    expect(violations("app/(console)/layout.tsx", "lib/services/teammates/teammates")).toEqual([]);
    expect(violations("components/ui/x.tsx", "lib/format/dates")).toEqual([]);
  });

  it("no source file breaks them", () => {
    const broken: string[] = [];
    for (const file of SCANNED.filter((d) => fs.existsSync(path.join(ROOT, d))).flatMap(sourceFiles)) {
      const source = fs.readFileSync(path.join(ROOT, file), "utf8");
      for (const target of importsOf(file, source))
        if (!RULE_EXCEPTIONS[`${file} → ${target}`])
          for (const rule of violations(file, target)) broken.push(`${file} → ${target}: ${rule}`);
    }
    expect(broken).toEqual([]);
  });

  it("each exception still needs the generated client", () => {
    for (const file of Object.keys(GENERATED_CLIENT_EXCEPTIONS)) {
      const source = fs.readFileSync(path.join(ROOT, file), "utf8");
      expect(importsOf(file, source).some((t) => under(t, "lib/generated"))).toBe(true);
    }
  });
});
