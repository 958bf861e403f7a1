import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The layers (ARCHITECTURE.md, "Data flows one way"): components/ holds primitives that get data and actions as props,
// so it never imports app/, lib/services or lib/db; lib/ never imports app/ or components/. Feature UI lives beside
// its route in app/**/_components/.

const root = path.resolve(import.meta.dirname, "..");

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true }).flatMap((e) => {
    const file = path.relative(root, path.join(e.parentPath, e.name));
    return e.isFile() && /\.(ts|tsx)$/.test(e.name) && !file.startsWith("lib/generated") ? [file] : [];
  });
}

/** Every module a file imports, resolved to a path from the root ("@/x" and "./x" alike). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), "utf8");
  return [...text.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].flatMap(([, spec = ""]) => {
    if (spec.startsWith("@/")) return [spec.slice(2)];
    if (spec.startsWith(".")) return [path.relative(root, path.resolve(root, path.dirname(file), spec))];
    return [];
  });
}

const offending = (dir: string, forbidden: RegExp) =>
  sources(dir).flatMap((file) =>
    importsOf(file).flatMap((target) => (forbidden.test(target) ? [`${file} → ${target}`] : [])),
  );

describe("layers", () => {
  it("components/ never imports app/, lib/services or lib/db", () => {
    expect(offending("components", /^(app\/|lib\/services(\/|$)|lib\/db(\.ts)?$)/)).toEqual([]);
  });
  it("lib/ never imports app/ or components/", () => {
    expect(offending("lib", /^(app|components)\//)).toEqual([]);
  });
  it("catches an import that crosses the layers", () => {
    expect(importsOf("app/(console)/settings/users/page.tsx")).toContain(
      "app/(console)/settings/users/_components/href",
    );
  });
});
