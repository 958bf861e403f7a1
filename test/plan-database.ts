// For the query-plan tests (EXPLAIN of the statements a service really sends, on a large organization): a database of
// its own, so the statistics are this organization's; a Prisma client whose every statement is captured from its query
// log with its parameters; an owner's organization of `members` members (bench/bulk.ts); and a plain pg client to
// EXPLAIN with. Not timed: the tests read plans, never durations.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { bulkInsertTeammates } from "@/bench/bulk";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { signUp } from "@/lib/services/accounts/sign-up";
import { createTestDatabase, type TestDatabase } from "./test-database";

export interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Total Cost": number;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  Plans?: PlanNode[];
}

/** The node and every node below it. */
export const planNodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(planNodes)];

export interface PlanDatabase {
  database: TestDatabase;
  client: PrismaClient;
  sql: pg.Client;
  ownerId: string;
  organizationId: string;
  /** Every statement `client` sent, with its parameters (clear it before the call to look at). */
  captured: { query: string; params: unknown[] }[];
  /** EXPLAIN (ANALYZE, FORMAT JSON) of a captured statement with its own parameters: the plan's root. */
  explain(statement: { query: string; params: unknown[] }): Promise<PlanNode>;
  close(): Promise<void>;
}

export async function createPlanDatabase(prefix: string, members: number, organizationName: string) {
  const database = await createTestDatabase(prefix);
  const client = new PrismaClient({
    adapter: new PrismaPg({ connectionString: database.url, max: 2 }),
    log: [{ emit: "event", level: "query" }],
  });
  const captured: PlanDatabase["captured"] = [];
  // Typed `never` unless the log option is a literal type parameter of the client: say the event's shape here.
  const on = client.$on.bind(client) as unknown as (
    event: "query",
    listener: (e: { query: string; params: string }) => void,
  ) => void;
  on("query", (e) => captured.push({ query: e.query, params: JSON.parse(e.params) as unknown[] }));
  const slug = organizationName.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const owner = await signUp(
    {
      input: {
        name: `${organizationName} Owner`,
        email: `owner@${slug}.test`,
        password: `${slug} owner password 2026`,
        organizationName,
      },
      context: { ip: "127.0.0.1", userAgent: "vitest" },
    },
    { tx: client },
  );
  await bulkInsertTeammates(database.url, {
    organizationId: owner.organizationId,
    count: members - 1,
    passwordHash: "not-a-real-hash",
  });
  const sql = new pg.Client({ connectionString: database.url });
  await sql.connect();
  const plan: PlanDatabase = {
    database,
    client,
    sql,
    ownerId: owner.userId,
    organizationId: owner.organizationId,
    captured,
    async explain(s) {
      const { rows } = await sql.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${s.query}`, s.params);
      return (rows[0]["QUERY PLAN"] as { Plan: PlanNode }[])[0]?.Plan as PlanNode;
    },
    async close() {
      await sql.end();
      await client.$disconnect();
      await database.drop();
    },
  };
  return plan;
}
