import fs from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { E2E_APP_ENV, E2E_BASE_URL, E2E_PORT } from "./e2e/app-env";

// Real Chromium (Debian's, browsers cannot be downloaded here) against the production build served by `npm start`'s
// compiled server (node dist/server/run.js) in a production configuration — not the demo: every secret set, mail kept
// in the database (MAIL_TRANSPORT=local) — on a fresh database that e2e/run.ts prepared and seeded.
const port = E2E_PORT;
export const baseURL = E2E_BASE_URL;
const databaseUrl = process.env.E2E_DATABASE_URL;
if (!databaseUrl) throw new Error("Run the end-to-end tests with `npm run test:e2e` (it prepares a fresh database).");
process.env.DATABASE_URL = databaseUrl; // fixtures read mail from the same database, as a mailbox

const executablePath =
  process.env.CHROMIUM_PATH ?? (fs.existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: true,
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  outputDir: "test-results",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    command: "node scripts/start.mjs",
    url: `${baseURL}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      ...E2E_APP_ENV,
      OUTBOX_WORKER: "inline",
    },
  },
});
