// Playwright's `webServer` for the local projects (playwright.config.ts): everything the suite runs against, in one
// process that Playwright starts before the tests and stops (SIGTERM) after them.
//   1. the production build, rebuilt when the sources changed since it was made (content hash, scripts/build.mjs);
//   2. a fresh database (DATABASE_URL's local PostgreSQL server, or an in-memory PGlite served from this process);
//   3. the demo organization, seeded by the compiled seed with the server's configuration;
//   4. the organization's OpenID Provider for SSO (e2e/oidc-idp.ts) on loopback;
//   5. the compiled server (`npm start`: node dist/server/run.js) in a production configuration (e2e/app-env.ts).
// The database URL and the build are written to E2E_STATE_FILE for e2e/global-setup.ts. On SIGTERM/SIGINT the
// server, the IdP and the database are stopped and dropped.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { build } from "../scripts/build.mjs";
import { createTestDatabase, type TestDatabase } from "../test/test-database";
import { E2E_APP_ENV, E2E_LOCAL_URL, E2E_PORT, E2E_STATE_FILE, type E2EState } from "./app-env";
import { type RunningIdp, startOidcIdp } from "./oidc-idp";

const log = (message: string) => console.log(`[e2e] ${message}`);

// Children run asynchronously: without DATABASE_URL the embedded database is served from THIS process, and a
// blocking spawnSync would stop it from answering the server under test.
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env });
    child.on("error", () => resolve(1));
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

let database: TestDatabase | undefined;
let idp: RunningIdp | undefined;
let server: ChildProcess | undefined;
let stopping = false;

async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server?.once("exit", resolve));
    server.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    if (server.exitCode === null) server.kill("SIGKILL");
  }
  await idp?.stop().catch(() => {});
  await database?.drop().catch((e: Error) => console.error(`[e2e] dropping the test database failed: ${e.message}`));
  fs.rmSync(E2E_STATE_FILE, { force: true });
  process.exit(code);
}
process.on("SIGTERM", () => void stop(0));
process.on("SIGINT", () => void stop(0));

// Playwright runs this through a shell: when the Playwright process itself is killed (a CI timeout), nobody sends
// SIGTERM. Watch it, and stop rather than keep the port and the database.
function playwrightPid(): number | null {
  try {
    const parent = fs.readFileSync(`/proc/${process.ppid}/stat`, "utf8");
    const shell = /\) \S+ (\d+)/.exec(parent)?.[1];
    return parent.includes("(sh)") && shell ? Number(shell) : process.ppid;
  } catch {
    return null; // no /proc: rely on the signals
  }
}
const runner = playwrightPid();
if (runner) {
  setInterval(() => {
    try {
      process.kill(runner, 0);
    } catch {
      console.error("[e2e] the test runner is gone: stopping the server");
      void stop(1);
    }
  }, 2_000).unref();
}

try {
  const stamp = await build({ ifStale: true, log });
  log(`Testing build ${stamp.hash.slice(0, 12)} (built ${stamp.builtAt}).`);

  database = await createTestDatabase("twofold_e2e");
  idp = await startOidcIdp({ redirectUri: `${E2E_LOCAL_URL}/api/auth/callback/oidc` });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...idp.appEnv,
    ...E2E_APP_ENV,
    DATABASE_URL: database.url,
    PORT: String(E2E_PORT),
    OUTBOX_WORKER: "inline",
    NEXT_TELEMETRY_DISABLED: "1",
    // The embedded fallback (no DATABASE_URL) is one PGlite session: the server uses one connection, as `npm start` does.
    ...(process.env.DATABASE_URL ? {} : { DATABASE_POOL_SIZE: "1" }),
  };
  // The server under test is a production start, which never seeds: the demo organization the specs use is seeded
  // here, by the same compiled seed the demo runs, with the server's configuration.
  if ((await run(process.execPath, ["dist/server/seed.js"], env)) !== 0) {
    throw new Error("seeding the demo organization failed");
  }
  const state: E2EState = {
    databaseUrl: database.url,
    postgresServerUrl: process.env.DATABASE_URL ?? "",
    build: { hash: stamp.hash, builtAt: stamp.builtAt },
    pid: process.pid,
  };
  fs.mkdirSync(path.dirname(E2E_STATE_FILE), { recursive: true });
  fs.writeFileSync(E2E_STATE_FILE, JSON.stringify(state, null, 2));
  server = spawn(process.execPath, ["scripts/start.mjs"], { stdio: "inherit", env });
  server.on("exit", (code, signal) => {
    if (!stopping) {
      console.error(`[e2e] the server under test exited (${code ?? signal})`);
      void stop(1);
    }
  });
} catch (e) {
  console.error(`[e2e] ${(e as Error).message}`);
  await stop(1);
}
