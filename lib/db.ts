import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { databaseUrl, env } from "./env";
import { Prisma, PrismaClient } from "./generated/prisma/client";

// The only Prisma client. Secret columns are omitted from every query unless a service asks for them
// explicitly with `omit: { passwordHash: false }`.
function createClient() {
  const adapter = new PrismaPg({ connectionString: databaseUrl(), max: env.DATABASE_POOL_SIZE });
  return new PrismaClient({
    adapter,
    omit: { user: { passwordHash: true } },
    transactionOptions: { maxWait: 10_000, timeout: 20_000 },
  });
}

export type Db = ReturnType<typeof createClient>;
/** A client or an interactive transaction: every service takes `tx: Tx = db`. */
export type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

const globalForDb = globalThis as unknown as { twofoldDb?: Db };

function client(): Db {
  globalForDb.twofoldDb ??= createClient();
  return globalForDb.twofoldDb;
}

/** Lazily created so that importing a module never needs a database (e.g. during `next build`). */
export const db: Db = new Proxy({} as Db, {
  get(_target, prop) {
    const c = client();
    const value = Reflect.get(c, prop, c);
    return typeof value === "function" ? value.bind(c) : value;
  },
  // `"$transaction" in db` must answer for the real client (an empty target would say false).
  has(_target, prop) {
    return Reflect.has(client(), prop);
  },
});

/** True for the client itself (which can open a transaction), false for an interactive transaction. */
export function isClient(tx: Tx | Db): tx is Db {
  return typeof (tx as Partial<Db>).$transaction === "function";
}

/** Runs `fn` in a transaction, or inside the caller's transaction when `tx` already is one. */
export async function inTransaction<T>(tx: Tx | Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (isClient(tx)) return tx.$transaction((inner) => fn(inner as Tx));
  return fn(tx);
}

/**
 * Transaction-scoped advisory locks on names (`sms:number:+44…`, `invitation:<org>:<email>`), held until the caller's
 * transaction ends: parallel requests about the same thing run one after the other. Taken in one global order (sorted
 * keys), so two transactions never wait on each other in a cycle. A key is the first 8 bytes of sha256 of the name.
 */
export async function lockNames(tx: Tx, names: string[]): Promise<void> {
  const keys = [...new Set(names.map((n) => createHash("sha256").update(`twofold:${n}`).digest().readBigInt64BE(0)))];
  keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const key of keys) await tx.$executeRaw`SELECT pg_advisory_xact_lock(${key}::bigint)`;
}

export function isUniqueViolation(e: unknown, field?: string): boolean {
  if (!(e instanceof Prisma.PrismaClientKnownRequestError) || e.code !== "P2002") return false;
  if (!field) return true;
  const target = JSON.stringify(e.meta ?? {});
  return target.includes(field);
}

/** The schema's enums (Role, Plan…), so that nothing but this module imports the generated client. */
export * from "./generated/prisma/enums";
export { Prisma };
