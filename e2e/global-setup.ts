// Playwright's global setup (playwright.config.ts). Runs after the web server is up (e2e/web-server.ts, which made
// the build, the database and the server): hands the database to the test workers through the environment and
// says what is being tested. Against a deployment (E2E_BASE_URL) there is no database: it checks the target answers.
import fs from "node:fs";
import { E2E_BASE_URL, E2E_STATE_FILE, E2E_TARGET_URL, type E2EState } from "./app-env";

export default async function globalSetup() {
  if (E2E_TARGET_URL) {
    const res = await fetch(`${E2E_TARGET_URL}/api/health`).catch((e: Error) => e);
    if (res instanceof Error || !res.ok) {
      throw new Error(
        `${E2E_TARGET_URL}/api/health does not answer: ${res instanceof Error ? res.message : res.status}`,
      );
    }
    console.log(
      `[e2e] Testing the deployment at ${E2E_TARGET_URL} (test mailbox token ${process.env.TEST_MAILBOX_TOKEN ? "set" : "NOT set: flows that read mail will fail"}).`,
    );
    return;
  }
  const state = JSON.parse(fs.readFileSync(E2E_STATE_FILE, "utf8")) as E2EState;
  // Workers start after this and inherit the environment: fixtures read mail and clean up in this database.
  process.env.DATABASE_URL = state.databaseUrl;
  process.env.E2E_DATABASE_URL = state.databaseUrl;
  // The PostgreSQL server (empty: none, in-memory PGlite) for specs that need a database of their own.
  process.env.E2E_POSTGRES_SERVER_URL = state.postgresServerUrl;
  console.log(
    `[e2e] Testing build ${state.build.hash.slice(0, 12)} (built ${state.build.builtAt}) at ${E2E_BASE_URL}.`,
  );
}
