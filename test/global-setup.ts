// Vitest global setup for the integration project: one fresh, migrated database per run, dropped afterwards.
import { createTestDatabase, type TestDatabase } from "./test-database";

let database: TestDatabase | undefined;

export async function setup(): Promise<void> {
  process.env.TWOFOLD_TEST_SERVER_URL = process.env.DATABASE_URL ?? "";
  database = await createTestDatabase("twofold_test");
  process.env.DATABASE_URL = database.url; // inherited by the test workers
}

export async function teardown(): Promise<void> {
  if (process.env.KEEP_TEST_DATABASE) {
    console.log(`kept test database ${database?.url}`);
    return;
  }
  await database?.drop();
}
