// Offline `prisma migrate` (see lib/db-tools/migrate.ts):
//   npm run db:migrate                     ~ prisma migrate deploy
//   npm run db:migrate:create -- <name>    ~ prisma migrate dev --create-only --name <name>
//   npm run db:migrate:status              ~ prisma migrate status
//   tsx scripts/db-migrate.ts diff         ~ prisma migrate diff (live database → schema.prisma), exit 2 when not empty
//   tsx scripts/db-migrate.ts resolve --rolled-back <name>
// DATABASE_URL selects the database; without it the embedded database (.data/pglite) is started for the command.
import path from "node:path";
import { startEmbeddedDatabase } from "../lib/db-tools/embedded";
import { openMigrationEngine } from "../lib/db-tools/migrate";

const [command, ...args] = process.argv.slice(2);
let databaseUrl = process.env.DATABASE_URL;
let embedded: Awaited<ReturnType<typeof startEmbeddedDatabase>> | undefined;
if (!databaseUrl) {
  embedded = await startEmbeddedDatabase();
  databaseUrl = embedded.url;
  console.log(`(no DATABASE_URL: using the embedded database in ${embedded.dataDir})`);
}

const engine = await openMigrationEngine({
  databaseUrl,
  shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL,
  log: process.env.DEBUG ? (l) => console.error(l) : undefined,
});
try {
  if (command === "deploy") {
    const applied = await engine.deploy();
    console.log(applied.length ? `Applied: ${applied.join(", ")}` : "No pending migrations to apply.");
  } else if (command === "create") {
    const name = args.find((a) => !a.startsWith("--")) ?? "";
    const dir = await engine.create(name, { allowEmpty: args.includes("--allow-empty") });
    console.log(
      dir ? `Created ${path.relative(process.cwd(), dir)}/migration.sql` : "No schema changes, no migration created.",
    );
  } else if (command === "diff") {
    const sql = await engine.diff();
    if (sql) {
      console.log(sql);
      process.exitCode = 2;
    } else console.log("The database matches prisma/schema.prisma.");
  } else if (command === "status") {
    const out = await engine.status();
    console.log(JSON.stringify(out, null, 2));
    if (out.history || out.failedMigrationNames.length || out.editedMigrationNames.length) process.exitCode = 1;
  } else if (command === "resolve" && args[0] === "--rolled-back" && args[1]) {
    await engine.markRolledBack(args[1]);
    console.log(`Migration ${args[1]} marked rolled back.`);
  } else {
    console.error(
      "usage: db-migrate.ts deploy | create <name> [--allow-empty] | diff | status | resolve --rolled-back <name>",
    );
    process.exitCode = 64;
  }
} catch (e) {
  console.error(`Migration error: ${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  await engine.close();
  await embedded?.stop();
}
