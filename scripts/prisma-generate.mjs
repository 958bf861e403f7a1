#!/usr/bin/env node
// `prisma generate` that works offline. Every prisma CLI command first tries to download the native schema
// engine (binaries.prisma.sh is unreachable here); pointing PRISMA_SCHEMA_ENGINE_BINARY at a placeholder
// executable skips that download. `generate` does not need the schema engine at all.
// Migrations use the WebAssembly schema engine instead: see scripts/db-migrate.ts.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

const require = createRequire(import.meta.url);
const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const placeholder = path.join(os.tmpdir(), "twofold-no-schema-engine");
  fs.writeFileSync(
    placeholder,
    "#!/bin/sh\necho 'native schema engine not available: use npm run db:migrate' >&2\nexit 1\n",
    { mode: 0o755 },
  );
  env.PRISMA_SCHEMA_ENGINE_BINARY = placeholder;
}
env.PRISMA_HIDE_UPDATE_MESSAGE = "1";
const cli = path.join(path.dirname(require.resolve("prisma/package.json")), "build/index.js");
const result = spawnSync(process.execPath, [cli, "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
