// Proves the offline migration path: the migrations folder produces exactly schema.prisma's database, a failing
// migration is reported (not hidden) and recorded as failed like Prisma does, and `create` writes a new migration.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/test-database";
import { migrateDeploy, openMigrationEngine } from "./migrate";

const created: TestDatabase[] = [];
afterAll(async () => {
  for (const d of created) await d.drop();
});

async function freshEmptyDatabase(): Promise<string> {
  const d = await createTestDatabase("twofold_migrate", { migrate: false });
  created.push(d);
  return d.url;
}

function tempMigrations(extra?: { name: string; sql: string }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "twofold-migrations-"));
  fs.cpSync(path.resolve("prisma/migrations"), dir, { recursive: true });
  if (extra) {
    fs.mkdirSync(path.join(dir, extra.name));
    fs.writeFileSync(path.join(dir, extra.name, "migration.sql"), extra.sql);
  }
  return dir;
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}

describe("offline migrations (wasm schema engine)", () => {
  it("after migrating, the database matches schema.prisma: the engine's diff is empty", async () => {
    const engine = await openMigrationEngine({ databaseUrl: process.env.DATABASE_URL ?? "" });
    try {
      expect(await engine.diff()).toBe("");
      const status = await engine.status();
      expect(status.failedMigrationNames).toEqual([]);
      expect(status.history).toBeNull();
    } finally {
      await engine.close();
    }
  });

  it("records _prisma_migrations as Prisma does (sha256 checksum of migration.sql, finished)", async () => {
    const url = await freshEmptyDatabase();
    const applied = await migrateDeploy({ databaseUrl: url });
    const dirs = fs
      .readdirSync("prisma/migrations")
      .filter((d) => d !== "migration_lock.toml")
      .sort();
    expect(applied).toEqual(dirs);
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      url,
      "SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name",
    );
    const { createHash } = await import("node:crypto");
    expect(rows.map((r) => r.migration_name)).toEqual(dirs);
    for (const r of rows) {
      const sql = fs.readFileSync(path.join("prisma/migrations", r.migration_name, "migration.sql"));
      expect(r.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(r.finished_at).not.toBeNull();
    }
    expect(await migrateDeploy({ databaseUrl: url })).toEqual([]); // idempotent
  });

  it("reports a failing migration with the database's error and records it as failed", async () => {
    const url = await freshEmptyDatabase();
    const migrationsDir = tempMigrations({
      name: "29990101000000_broken",
      sql: 'ALTER TABLE "NoSuchTable" ADD COLUMN "x" INTEGER;',
    });
    const error = await migrateDeploy({ databaseUrl: url, migrationsDir }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).toMatch(/29990101000000_broken/);
    expect(String((error as Error).message)).toMatch(/NoSuchTable/);
    const rows = await query<{ migration_name: string; finished_at: Date | null }>(
      url,
      "SELECT migration_name, finished_at FROM _prisma_migrations WHERE migration_name = '29990101000000_broken'",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.finished_at).toBeNull();
    const engine = await openMigrationEngine({ databaseUrl: url, migrationsDir });
    try {
      expect((await engine.status()).failedMigrationNames).toEqual(["29990101000000_broken"]);
      // A later deploy refuses to continue past the failed migration instead of skipping it.
      await expect(engine.deploy()).rejects.toThrow(/29990101000000_broken/);
    } finally {
      await engine.close();
    }
  });

  it("`create` writes a migration for a schema change and nothing when the schema is unchanged", async () => {
    const url = await freshEmptyDatabase();
    const migrationsDir = tempMigrations();
    const schemaPath = path.join(migrationsDir, "..", `schema-${path.basename(migrationsDir)}.prisma`);
    fs.writeFileSync(schemaPath, fs.readFileSync("prisma/schema.prisma", "utf8"));
    let engine = await openMigrationEngine({ databaseUrl: url, migrationsDir, schemaPath });
    try {
      expect(await engine.create("nothing_changed")).toBeNull();
    } finally {
      await engine.close();
    }
    fs.appendFileSync(schemaPath, "\nmodel MigrationProbe {\n  id String @id\n  note String?\n}\n");
    engine = await openMigrationEngine({ databaseUrl: url, migrationsDir, schemaPath });
    try {
      const dir = await engine.create("AddMigrationProbe");
      expect(dir).toMatch(/\d{14}_add_migration_probe$/);
      const sql = fs.readFileSync(path.join(dir ?? "", "migration.sql"), "utf8");
      expect(sql).toContain('CREATE TABLE "MigrationProbe"');
      expect(sql).not.toMatch(/DROP TABLE/); // the shadow database was not the main one
      const existing = fs.readdirSync("prisma/migrations").filter((d) => d.endsWith("toml") === false);
      expect(await engine.deploy()).toHaveLength(existing.length + 1); // every migration and the new one
      expect(await engine.diff()).toBe("");
    } finally {
      await engine.close();
    }
  });
});
