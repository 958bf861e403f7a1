import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { E2E_BASE_URL, E2E_TARGET_URL } from "./e2e/app-env";

// Two projects, one browser (Debian's Chromium: browsers cannot be downloaded here):
//  - `local`: every spec that is not tagged @deployed, against the production build served by the compiled server
//    that e2e/web-server.ts starts on a fresh, seeded database (Playwright's webServer); specs may read that database.
//  - `deployed`: the specs tagged @deployed — flows that need no database access, mail read through the test mailbox
//    API. Against the local server by default; against a running deployment with E2E_BASE_URL (then it is the only
//    project and no server is started): `E2E_BASE_URL=https://staging.example npx playwright test --project=deployed`.
// Report: playwright-report/ (`npx playwright show-report`), with trace and screenshot of each failure, and its video
// where ffmpeg is installed (not on CI unless E2E_VIDEO asks: see videoMode below).
const executablePath =
  process.env.CHROMIUM_PATH ?? (fs.existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
const chromium = {
  ...devices["Desktop Chrome"],
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
      // More flags for an experiment (space-separated), e.g. E2E_CHROMIUM_ARGS="--disable-gpu-compositing".
      ...(process.env.E2E_CHROMIUM_ARGS ?? "").split(" ").filter(Boolean),
      // Loopback only: the app, the test IdP. A deployment's own host is let through.
      `--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost${E2E_TARGET_URL ? `, EXCLUDE ${new URL(E2E_TARGET_URL).hostname}` : ""}`,
    ],
  },
};
const DEPLOYED = /@deployed/;

/** Playwright records video with its own ffmpeg (`npx playwright install ffmpeg`, or Debian's linked there by .ci/run):
 *  without it, failures keep their trace and screenshot, and no video. */
function ffmpegInstalled(): boolean {
  const core = path.dirname(createRequire(import.meta.url).resolve("playwright-core/package.json"));
  const { browsers } = JSON.parse(fs.readFileSync(path.join(core, "browsers.json"), "utf8")) as {
    browsers: { name: string; revision: string }[];
  };
  const revision = browsers.find((b) => b.name === "ffmpeg")?.revision;
  const root = process.env.PLAYWRIGHT_BROWSERS_PATH || path.join(os.homedir(), ".cache", "ms-playwright");
  return Boolean(revision) && fs.existsSync(path.join(root, `ffmpeg-${revision}`, "ffmpeg-linux"));
}

/** Video is recorded for every page and thrown away when the test passes: each open page keeps an ffmpeg VP8 encoder
 *  busy (measured here: 1.7–2.6 s of CPU per 20 s of page, 9–13 % of a core, besides Chromium's own screencast). On
 *  CI's two cores that is time taken from the tests, so CI keeps traces and screenshots of failures and records no
 *  video unless asked: `E2E_VIDEO=retain-on-failure` (or `on`, `off`) decides everywhere. */
function videoMode(): "off" | "on" | "retain-on-failure" {
  const asked = process.env.E2E_VIDEO;
  if (asked === "off" || asked === "on" || asked === "retain-on-failure") return asked;
  return !process.env.CI && ffmpegInstalled() ? "retain-on-failure" : "off";
}

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  // Generous for a busy 2-core machine; a passing expectation returns as soon as it holds.
  expect: { timeout: 20_000 },
  // Every test makes its own people and organizations, so tests of one file run side by side too: the long files no
  // longer keep one worker busy at the end of the run. A file whose tests share state opts out
  // (`test.describe.configure({ mode: "default" })`: teammates-table.spec.ts, sso.spec.ts).
  fullyParallel: true,
  workers: Number(process.env.E2E_WORKERS ?? 2),
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [
    [process.env.CI ? "line" : "list"],
    ["html", { outputFolder: "playwright-report", open: "never" }],
    ...(process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? ([["json"]] as const) : []),
  ],
  outputDir: "test-results",
  globalSetup: "./e2e/global-setup.ts",
  use: {
    baseURL: E2E_BASE_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    video: videoMode(),
  },
  projects: E2E_TARGET_URL
    ? [{ name: "deployed", grep: DEPLOYED, use: chromium }]
    : [
        { name: "local", grepInvert: DEPLOYED, use: chromium },
        { name: "deployed", grep: DEPLOYED, use: chromium },
      ],
  webServer: E2E_TARGET_URL
    ? undefined
    : {
        command: "node --import tsx e2e/web-server.ts",
        url: `${E2E_BASE_URL}/api/health`,
        // Includes a production build when the sources changed since the last one (a few minutes on 2 cores).
        timeout: 900_000,
        reuseExistingServer: false,
        stdout: "pipe",
        gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
      },
});
