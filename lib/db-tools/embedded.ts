// Embedded PostgreSQL for the default install: PGlite (Postgres compiled to WASM) persisted to a directory and
// served over the Postgres wire protocol, so Prisma (adapter-pg), pg and psql connect to it like to a server.
// One Postgres session shared by all connections (see TOOLCHAIN.md): fine for a single-user default; production
// uses PostgreSQL through DATABASE_URL.
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

export interface EmbeddedDatabase {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/**
 * The PostgreSQL extensions our migrations create, loaded into PGlite (it ships contrib extensions as separate
 * bundles: `CREATE EXTENSION pg_trgm` fails with "not available" unless the bundle is passed at creation).
 * pg_trgm backs the Users table search (migration 20261201171000_teammates_table_indexes).
 */
export async function pgliteExtensions() {
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  return { pg_trgm };
}

export async function startEmbeddedDatabase(
  options: { dataDir?: string; port?: number; memory?: boolean } = {},
): Promise<EmbeddedDatabase> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
  const dataDir = path.resolve(options.dataDir ?? ".data/pglite");
  let port = options.port ?? 5433;
  if (port !== 0 && !(await portIsFree(port))) {
    throw new Error(
      `Port ${port} is in use: another Twofold (or PostgreSQL) is running. Stop it, or set DATABASE_URL to use an existing PostgreSQL.`,
    );
  }
  if (!options.memory) fs.mkdirSync(dataDir, { recursive: true });
  let pglite: InstanceType<typeof PGlite>;
  try {
    const extensions = await pgliteExtensions();
    pglite = options.memory ? await PGlite.create({ extensions }) : await PGlite.create(dataDir, { extensions });
  } catch (e) {
    throw new Error(
      `Could not open the embedded database in ${dataDir} (is another process using it?): ${(e as Error).message}`,
    );
  }
  const server = new PGLiteSocketServer({ db: pglite, host: "127.0.0.1", port, maxConnections: 100 });
  await server.start();
  port = Number(server.getServerConn().split(":").pop());
  let stopped = false;
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await pglite.close(); // flushes to disk
    },
  };
}
