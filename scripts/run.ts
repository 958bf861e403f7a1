// `npm run dev` / `npm start`: one command from a fresh clone to a running product.
//  - no DATABASE_URL: start the embedded PostgreSQL (PGlite, data in .data/pglite) and use it: that is the demo;
//    with DATABASE_URL the demo only when TWOFOLD_DEMO=1 (lib/env.ts startPlan);
//  - the demo only: keep a generated NEXTAUTH_SECRET (.data/auth-secret) and 2FA encryption key
//    (.data/2fa-encryption-keys) when none is configured, seed the demo organization (idempotent) and print its
//    sign-in details, serve the development mailbox;
//  - otherwise (NODE_ENV=production on a real database) refuse to start, naming every missing variable, before
//    anything is written;
//  - apply pending migrations (in a child process: Prisma's WebAssembly schema engine stays out of the serving process,
//    issue 13), build when there is no production build yet;
//  - serve through scripts/server.ts (sets the socket peer address for rate limiting and audit).
// `npm start` runs this compiled to JavaScript (dist/server/run.js, scripts/build-server.mjs); `npm run dev` runs it
// through tsx. Tooling, not the app: this script may read process.env; the app reads configuration only through
// lib/env.ts.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startEmbeddedDatabase } from "../lib/db-tools/embedded";
import { parseEnv, startPlan } from "../lib/env";

const mode = process.argv[2];
if (mode !== "dev" && mode !== "start") {
  console.error("usage: npm start | npm run dev  (scripts/run.ts dev|start)");
  process.exit(64);
}
const dev = mode === "dev";
const port = Number(process.env.PORT ?? 3000);
process.env.NEXT_TELEMETRY_DISABLED = "1";
(process.env as Record<string, string>).NODE_ENV = dev ? "development" : "production";
const { embedded, demo } = startPlan(process.env);
// The app learns that this is the demo from the flag (lib/env.ts), also on the embedded database.
if (demo) process.env.TWOFOLD_DEMO = "1";
if (demo || dev) process.env.NEXTAUTH_URL ??= `http://localhost:${port}`;

const dataDir = path.resolve(process.env.TWOFOLD_DATA_DIR ?? ".data");
if (demo && !dev && !process.env.NEXTAUTH_SECRET) {
  const file = path.join(dataDir, "auth-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  process.env.NEXTAUTH_SECRET = fs.readFileSync(file, "utf8").trim();
}
if (demo && !dev && !process.env.TWOFACTOR_ENCRYPTION_KEYS) {
  // The demo keeps its own 2FA encryption key beside its data; a deployment configures its keys (lib/env.ts).
  const file = path.join(dataDir, "2fa-encryption-keys");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, `1:${randomBytes(32).toString("base64")}`, { mode: 0o600 });
  }
  process.env.TWOFACTOR_ENCRYPTION_KEYS = fs.readFileSync(file, "utf8").trim();
  process.env.TWOFACTOR_KEY_VERSION = "1";
}

// Fail fast, naming every missing or malformed variable, before anything starts or is written.
try {
  parseEnv(process.env);
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}

let stopEmbedded: (() => Promise<void>) | undefined;
let databaseUrl = process.env.DATABASE_URL ?? "";
if (embedded) {
  const database = await startEmbeddedDatabase({
    dataDir: path.join(dataDir, "pglite"),
    port: Number(process.env.PGLITE_PORT ?? 5433),
  });
  stopEmbedded = database.stop;
  databaseUrl = process.env.DATABASE_URL = database.url;
  process.env.DATABASE_POOL_SIZE ??= "1"; // one PGlite session: one connection, so statements never interleave
  console.log(
    `Embedded PostgreSQL (PGlite) on ${database.url}, data in ${path.relative(process.cwd(), database.dataDir)}/`,
  );
} else {
  console.log(`Using DATABASE_URL ${databaseUrl.replace(/\/\/([^:@/]+):[^@/]+@/, "//$1:***@")}`);
}

const shutdown = async (code = 0) => {
  await stopEmbedded?.();
  process.exit(code);
};
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

// Children run asynchronously: the embedded database is served from THIS process, so a blocking spawnSync would
// deadlock a child (the seed) that connects to it.
async function run(command: string, args: string[]): Promise<void> {
  const status = await new Promise<number>((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env: process.env });
    child.on("error", () => resolve(1));
    child.on("exit", (code) => resolve(code ?? 1));
  });
  if (status !== 0) {
    console.error(`\`${[command, ...args].join(" ")}\` failed.`);
    await shutdown(status);
  }
}

// Compiled (dist/server/run.js): the compiled scripts beside it; through tsx (npm run dev): the TypeScript sources.
const here = fileURLToPath(import.meta.url);
const script = (compiled: string, source: string): [string, string[]] =>
  here.endsWith(".js")
    ? [process.execPath, [path.join(path.dirname(here), compiled)]]
    : [path.resolve("node_modules/.bin/tsx"), [source]];

// DATABASE_URL is set for the child (the embedded database's URL too); `run` stops everything when it fails.
process.env.DATABASE_URL = databaseUrl;
const [migrateCommand, migrateArgs] = script("db-migrate.js", "scripts/db-migrate.ts");
await run(migrateCommand, [...migrateArgs, "deploy"]);

if (demo) await run(...script("seed.js", "prisma/seed.ts"));

if (!dev && !fs.existsSync(path.resolve(".next/BUILD_ID"))) {
  console.log("No production build yet: running `next build` (once; run `npm run build` after changes)…");
  await run(path.resolve("node_modules/.bin/next"), ["build"]);
}

const { startServer } = await import("./server");
await startServer({ dev, port, hostname: process.env.HOSTNAME_BIND ?? "0.0.0.0" });
console.log(`Twofold is running at ${process.env.NEXTAUTH_URL}  (Ctrl+C to stop)`);
if (demo && parseEnv(process.env).devMailbox) {
  console.log(`Demo mailbox (every mail the product sends): ${process.env.NEXTAUTH_URL}/dev/mail`);
}
