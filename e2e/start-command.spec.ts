// Smoke test of the README's start command: with no DATABASE_URL, `npm start` starts the embedded database,
// migrates and seeds it (the demo), and serves the app — compiled JavaScript on `node`, no TypeScript loader — where
// the printed demo account signs in and the demo mailbox is open.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { DEMO, DEMO_PASSWORD } from "./support";

/** The command lines of every process in a process group (Linux /proc), with their pids. */
function processesOf(groupId: number): { pid: string; line: string }[] {
  const lines: { pid: string; line: string }[] = [];
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const pgrp = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
      if (pgrp === groupId)
        lines.push({ pid, line: fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim() });
    } catch {
      // the process ended meanwhile
    }
  }
  return lines;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

test("`npm start` without DATABASE_URL serves the seeded demo on the embedded database", async ({ browser }) => {
  test.setTimeout(180_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "twofold-start-"));
  const [port, pglitePort] = [await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    PGLITE_PORT: String(pglitePort),
    TWOFOLD_DATA_DIR: dataDir,
  };
  for (const k of [
    "DATABASE_URL",
    "E2E_DATABASE_URL",
    "NEXTAUTH_URL",
    "NEXTAUTH_SECRET",
    "TWOFACTOR_ENCRYPTION_KEYS",
    "TWOFACTOR_KEY_VERSION",
    "MAIL_FROM",
    "MAIL_TRANSPORT",
    "TWOFOLD_DEMO",
    "DEV_MAILBOX",
  ])
    delete env[k];
  let output = "";
  const child: ChildProcess = spawn("npm", ["start"], { env, detached: true });
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  try {
    await expect.poll(() => output, { timeout: 150_000, intervals: [500] }).toMatch(/Twofold is running at/);
    expect(output).toContain("Embedded PostgreSQL (PGlite)");
    expect(output).toContain(DEMO.owner);
    expect(output).toContain(DEMO_PASSWORD);
    expect(fs.existsSync(path.join(dataDir, "pglite"))).toBe(true);
    expect(fs.existsSync(path.join(dataDir, "auth-secret"))).toBe(true);
    expect(fs.existsSync(path.join(dataDir, "2fa-encryption-keys"))).toBe(true);
    // The server is compiled JavaScript run by node: no tsx (or any TypeScript loader) in its process tree.
    const group = processesOf(child.pid as number);
    const processes = group.map((p) => p.line);
    expect(processes.some((line) => line.includes("scripts/start.mjs"))).toBe(true);
    expect(processes.filter((line) => /tsx|\.ts(\s|$)/.test(line))).toEqual([]);
    // Nor is Next's SWC compiler, a 25 MB native module (issue 13 target 7): Next would load it to transpile
    // next.config.ts at start; the server takes the configuration the build resolved (scripts/server.ts).
    const serving = group.find((p) => /^(\S*\/)?node scripts\/start\.mjs/.test(p.line)); // not npm's `sh -c …`
    const mapped = fs.readFileSync(`/proc/${serving?.pid}/maps`, "utf8");
    expect(mapped).toContain(fs.realpathSync(process.execPath)); // the maps were read
    expect(mapped).not.toMatch(/next-swc|swc-linux/);
    // `npm start` caps glibc's malloc arenas for it (package.json; README "Production configuration").
    const environ = fs.readFileSync(`/proc/${serving?.pid}/environ`, "utf8").split("\0");
    expect(environ).toContain("MALLOC_ARENA_MAX=2");

    const context = await browser.newContext({ baseURL: `http://localhost:${port}` });
    const page = await context.newPage();
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(DEMO.owner);
    await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByText("Acme Inc").first()).toBeVisible();
    // The demo's mailbox (every mail the product sent, e.g. the seeded invitations) is served in the demo only.
    expect(output).toContain(`http://localhost:${port}/dev/mail`);
    const mailbox = await page.goto("/dev/mail");
    expect(mailbox?.status()).toBe(200);
    await context.close();
  } finally {
    if (child.pid) process.kill(-child.pid, "SIGTERM");
    await new Promise((r) => setTimeout(r, 1000));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
