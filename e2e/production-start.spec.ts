// S44 / issue 9 item 12: `npm start` in production on a real PostgreSQL is not the demo. Without its secrets and
// mail settings it refuses to start, naming every missing variable in one message, and writes nothing: no demo
// accounts in the database, no generated secrets on disk.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { createTestDatabase } from "../test/test-database";
import { DEMO } from "./support";

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function queryOne(url: string, sql: string, params: unknown[] = []): Promise<Record<string, unknown>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows[0] as Record<string, unknown>;
  } finally {
    await client.end();
  }
}

/** Every variable the configuration reads that this spec must not inherit from the suite's own server. */
const CONFIGURATION = [
  "E2E_DATABASE_URL",
  "NEXTAUTH_URL",
  "NEXTAUTH_SECRET",
  "TWOFACTOR_ENCRYPTION_KEYS",
  "TWOFACTOR_KEY_VERSION",
  "MAIL_FROM",
  "MAIL_TRANSPORT",
  "RESEND_API_KEY",
  "RESEND_BASE_URL",
  "SMS_TRANSPORT",
  "TWILIO_ACCOUNT_SID",
  "TWILIO_AUTH_TOKEN",
  "TWILIO_FROM",
  "TWILIO_MESSAGING_SERVICE_SID",
  "TWILIO_BASE_URL",
  "TWOFOLD_DEMO",
  "DEV_MAILBOX",
  "OIDC_ISSUER",
  "OIDC_CLIENT_ID",
  "OIDC_CLIENT_SECRET",
  "OIDC_ORGANIZATION_SLUG",
];

test("`npm start` with NODE_ENV=production on a real PostgreSQL and no secrets refuses, naming each, and writes nothing", async () => {
  test.setTimeout(120_000);
  // A database of its own on the suite's PostgreSQL server (or an in-memory one when the suite has none), empty.
  process.env.TWOFOLD_TEST_SERVER_URL = process.env.E2E_POSTGRES_SERVER_URL ?? "";
  const database = await createTestDatabase("twofold_prodstart", { migrate: false });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "twofold-prod-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: database.url,
    PORT: String(await freePort()),
    PGLITE_PORT: String(await freePort()),
    TWOFOLD_DATA_DIR: dataDir,
  };
  for (const k of CONFIGURATION) delete env[k];
  let output = "";
  let exit: number | null | undefined;
  const child: ChildProcess = spawn("npm", ["start"], { env, detached: true });
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  child.on("exit", (code) => (exit = code));
  try {
    // It must stop by itself; a server that came up instead (the old behaviour) fails here.
    await expect
      .poll(() => (exit !== undefined ? "exited" : /Twofold is running at/.test(output) ? "serving" : "starting"), {
        timeout: 90_000,
        intervals: [250],
      })
      .toBe("exited");
    expect(exit).not.toBe(0);
    for (const name of [
      "NEXTAUTH_SECRET",
      "NEXTAUTH_URL",
      "TWOFACTOR_ENCRYPTION_KEYS",
      "TWOFACTOR_KEY_VERSION",
      "MAIL_FROM",
      "RESEND_API_KEY",
      "TWILIO_ACCOUNT_SID",
      "TWILIO_AUTH_TOKEN",
      "TWILIO_FROM",
    ]) {
      expect(output).toMatch(new RegExp(`^ {2}${name}: is required in production`, "m"));
    }
    expect(output).toContain("TWOFOLD_DEMO=1");
    expect(output).not.toContain(DEMO.owner);

    // Nothing was written: no demo accounts (not even a schema to hold them), no generated secrets.
    const { users } = await queryOne(
      database.url,
      `SELECT CASE WHEN to_regclass('"User"') IS NULL THEN 0 ELSE 1 END AS users`,
    );
    if (users) {
      const { n } = await queryOne(database.url, `SELECT count(*)::int AS n FROM "User" WHERE email = $1`, [
        DEMO.owner,
      ]);
      expect(n).toBe(0);
    }
    expect(fs.existsSync(path.join(dataDir, "auth-secret"))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, "2fa-encryption-keys"))).toBe(false);
  } finally {
    if (child.pid && exit === undefined) process.kill(-child.pid, "SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    fs.rmSync(dataDir, { recursive: true, force: true });
    await database.drop();
  }
});

test("a production start refuses the development mailbox (DEV_MAILBOX=1) outside the demo", async () => {
  test.setTimeout(60_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "twofold-prod-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: "postgresql://nobody@127.0.0.1:1/never-reached",
    PORT: String(await freePort()),
    TWOFOLD_DATA_DIR: dataDir,
    NEXTAUTH_URL: "https://twofold.example.com",
    NEXTAUTH_SECRET: "p".repeat(43),
    TWOFACTOR_ENCRYPTION_KEYS: `1:${Buffer.alloc(32, 9).toString("base64")}`,
    TWOFACTOR_KEY_VERSION: "1",
    MAIL_FROM: "Twofold <security@example.com>",
    MAIL_TRANSPORT: "local",
    DEV_MAILBOX: "1",
  };
  for (const k of ["E2E_DATABASE_URL", "TWOFOLD_DEMO", "RESEND_API_KEY", "OIDC_ISSUER", "OIDC_CLIENT_ID"])
    delete env[k];
  for (const k of ["OIDC_CLIENT_SECRET", "OIDC_ORGANIZATION_SLUG"]) delete env[k];
  let output = "";
  let exit: number | null | undefined;
  const child = spawn("npm", ["start"], { env, detached: true });
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  child.on("exit", (code) => (exit = code));
  try {
    await expect.poll(() => exit !== undefined, { timeout: 45_000, intervals: [250] }).toBe(true);
    expect(exit).not.toBe(0);
    expect(output).toMatch(/DEV_MAILBOX: the development mailbox is never served in production/);
  } finally {
    if (child.pid && exit === undefined) process.kill(-child.pid, "SIGTERM");
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
