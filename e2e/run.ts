// `npm run test:e2e`: a fresh database (DATABASE_URL's local server, or an in-memory PGlite) seeded with the demo
// organization, a production build (built when missing; the compiled server always, it takes a second), then
// Playwright against `npm start`'s compiled server on port 3100 in a production configuration (e2e/app-env.ts).
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createTestDatabase } from "../test/test-database";
import { E2E_APP_ENV } from "./app-env";
import { startOidcIdp } from "./oidc-idp";

// Children run asynchronously: without DATABASE_URL the embedded database is served from THIS process, and a
// blocking spawnSync would stop it from answering the server under test.
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env });
    child.on("error", () => resolve(1));
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

const database = await createTestDatabase("twofold_e2e");
// The organization's OpenID Provider for SSO (sso.spec.ts): a real `oidc-provider` on loopback; the server under test
// gets its OIDC_* through Playwright's webServer, which inherits this process's environment.
const idp = await startOidcIdp({
  redirectUri: `http://localhost:${process.env.E2E_PORT ?? 3100}/api/auth/callback/oidc`,
});
let status = 1;
try {
  const env = {
    ...process.env,
    ...idp.appEnv,
    DATABASE_URL: database.url,
    NEXT_TELEMETRY_DISABLED: "1",
    // The embedded fallback (no DATABASE_URL) is one PGlite session: the server uses one connection, as `npm start` does.
    ...(process.env.DATABASE_URL ? {} : { DATABASE_POOL_SIZE: "1" }),
  };
  if (!fs.existsSync(".next/BUILD_ID")) {
    if ((await run(path.resolve("node_modules/.bin/next"), ["build"], env)) !== 0) throw new Error("next build failed");
  }
  if ((await run(process.execPath, ["scripts/build-server.mjs"], env)) !== 0) throw new Error("compiling failed");
  // The server under test is a production start, which never seeds: the demo organization the specs use is seeded
  // here, by the same compiled seed the demo runs, with the server's configuration.
  if ((await run(process.execPath, ["dist/server/seed.js"], { ...env, ...E2E_APP_ENV })) !== 0) {
    throw new Error("seeding the demo organization failed");
  }
  status = await run(path.resolve("node_modules/.bin/playwright"), ["test", ...process.argv.slice(2)], {
    ...env,
    E2E_DATABASE_URL: database.url,
    // The PostgreSQL server (empty: none, in-memory PGlite) for specs that need a database of their own.
    E2E_POSTGRES_SERVER_URL: process.env.DATABASE_URL ?? "",
  });
} catch (e) {
  console.error((e as Error).message);
} finally {
  await idp.stop();
  await database.drop();
}
process.exit(status);
