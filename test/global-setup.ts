// Vitest global setup for the integration project: one fresh, migrated database per run, dropped afterwards.
import { createTestDatabase, type TestDatabase } from "./test-database";

let database: TestDatabase | undefined;

export async function setup(): Promise<void> {
  process.env.TWOFOLD_TEST_SERVER_URL = process.env.DATABASE_URL ?? "";
  const embedded = !process.env.DATABASE_URL;
  database = await createTestDatabase("twofold_test");
  process.env.DATABASE_URL = database.url; // inherited by the test workers
  // The embedded fallback is ONE PGlite session for every connection: one connection per process, as `npm start` does
  // there, so two transactions never interleave in it (they would wait on each other until Prisma's maxWait).
  if (embedded) process.env.DATABASE_POOL_SIZE ??= "1";
}

export async function teardown(): Promise<void> {
  if (process.env.KEEP_TEST_DATABASE) {
    console.log(`kept test database ${database?.url}`);
    return;
  }
  await database?.drop();
}
