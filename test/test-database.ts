// A fresh, migrated database for one test run. Uses the PostgreSQL server in DATABASE_URL (which must be local:
// tests create and drop databases), or an in-memory embedded PGlite when DATABASE_URL is unset.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { startEmbeddedDatabase } from "../lib/db-tools/embedded";
import { migrateDeploy } from "../lib/db-tools/migrate";

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export async function createTestDatabase(prefix: string, opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const migrate = opts.migrate ?? true;
  // The server the run started with (global setup replaces DATABASE_URL by the run's own database).
  const base =
    "TWOFOLD_TEST_SERVER_URL" in process.env ? process.env.TWOFOLD_TEST_SERVER_URL : process.env.DATABASE_URL;
  if (!base) {
    const embedded = await startEmbeddedDatabase({ memory: true, port: 0 });
    if (migrate) await migrateDeploy({ databaseUrl: embedded.url });
    return { url: embedded.url, drop: embedded.stop };
  }
  const server = new URL(base);
  const host = server.hostname.replace(/^\[|\]$/g, "");
  if (
    !LOCAL_HOSTS.has(host) &&
    !LOCAL_HOSTS.has(server.hostname) &&
    !server.searchParams.get("host")?.startsWith("/")
  ) {
    throw new Error(
      `Refusing to run tests against a non-local database (${server.hostname}): tests create and drop databases.`,
    );
  }
  const name = `${prefix}_${Date.now()}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  if (migrate) await migrateDeploy({ databaseUrl: url.href });
  return {
    url: url.href,
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
