// Fault injection for integration tests (S37): a PostgreSQL trigger that makes one table refuse the rows of one test,
// and a footprint of every row a test can touch, to prove that a failed use case left nothing behind.
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";

/**
 * Makes every INSERT, UPDATE or DELETE on `table` of a row whose text contains `marker` raise an exception (as a
 * constraint or a full disk would), until the returned function removes the trigger. Rows of other tests, which run
 * against the same database at the same time, are not affected.
 */
export async function injectFault(table: string, marker: string): Promise<() => Promise<void>> {
  if (!/^[A-Za-z]+$/.test(table) || !/^[\w@.:-]+$/.test(marker)) throw new Error("injectFault: bad table or marker");
  // One function and one trigger per call (names of their own), so test files injecting faults side by side never
  // race on a shared definition.
  const name = `fault_${randomBytes(6).toString("hex")}`;
  await db.$executeRawUnsafe(`
    CREATE FUNCTION "${name}"() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      IF strpos((CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END)::text, TG_ARGV[0]) > 0 THEN
        RAISE EXCEPTION 'injected fault on % (%)', TG_TABLE_NAME, TG_OP;
      END IF;
      RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END $fn$`);
  await db.$executeRawUnsafe(
    `CREATE TRIGGER "${name}" BEFORE INSERT OR UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION "${name}"('${marker}')`,
  );
  return async () => {
    await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS "${name}" ON "${table}"`);
    await db.$executeRawUnsafe(`DROP FUNCTION IF EXISTS "${name}"()`);
  };
}

let tableNames: string[] | null = null;

/**
 * For every table, the number and an md5 of the rows whose text contains one of `needles` (ids, emails, the
 * request's marker). Equal footprints before and after a failed call: the call left no row behind and changed none.
 */
export async function footprint(needles: string[]): Promise<Record<string, string>> {
  tableNames ??= (
    await db.$queryRawUnsafe<{ name: string }[]>(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'
       ORDER BY 1`,
    )
  ).map((r) => r.name);
  const wanted = needles.filter((n) => n.length >= 6);
  const out: Record<string, string> = {};
  for (const table of tableNames) {
    // The attempt limiter books every check outside the use case's transaction (a failure must count even when the
    // use case rolls back): a reservation released after a fault leaves a row with no failure and no lock. Only what
    // it counted matters here.
    const source =
      table === "RateLimit"
        ? `(SELECT "key", "failures", "lockedUntil", "lockouts" FROM "RateLimit"
            WHERE "failures" > 0 OR "count" > 0 OR "lockedUntil" IS NOT NULL)`
        : `"${table}"`;
    const rows = await db.$queryRawUnsafe<{ n: number; h: string | null }[]>(
      `SELECT count(*)::int AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS h
       FROM ${source} t WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) AS x(needle) WHERE strpos(t::text, x.needle) > 0)`,
      wanted,
    );
    const r = rows[0];
    if (r && r.n > 0) out[table] = `${r.n}:${r.h}`;
  }
  return out;
}
