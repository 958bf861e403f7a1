// Benchmark data: one organization created through the real sign-up service, N-1 teammates bulk-inserted with
// set-based SQL, and a signed-in session for the owner (real createSession + a next-auth JWT cookie).
// Imported by bench/run.ts only after it has set the environment (lib/env.ts reads process.env at import).
import { PrismaPg } from "@prisma/adapter-pg";
import { encode } from "next-auth/jwt";
import { SESSION_COOKIE as sessionCookieName } from "../lib/auth/cookies";
import { hashPassword } from "../lib/crypto/password";
import { env } from "../lib/env";
import { PrismaClient } from "../lib/generated/prisma/client";
import { signUp } from "../lib/services/accounts/sign-up";
import { createSession } from "../lib/services/sessions/create-session";
import { bulkInsertTeammates } from "./bulk";

const CONTEXT = { ip: "127.0.0.1", userAgent: "twofold-bench" };
export const OWNER_PASSWORD = "twofold-bench-owner-2026";

export interface SeededOrganization {
  organizationId: string;
  organizationName: string;
  ownerId: string;
  ownerEmail: string;
  ownerName: string;
  /** Users in the organization, the owner included. */
  users: number;
  seedMs: number;
}

export interface SignedInSession {
  sessionId: string;
  cookieName: string;
  /** The value of a Cookie request header. */
  cookie: string;
}

export interface BenchDatabase {
  seed(size: number): Promise<SeededOrganization>;
  signIn(userId: string, secret: string): Promise<SignedInSession>;
  close(): Promise<void>;
}

// A Prisma client of our own, configured like lib/db.ts, for `url`: the product's `db` is bound to the DATABASE_URL
// read at import, and every size gets a fresh database. Services take it as their `tx` argument.
function createClient(url: string) {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString: url, max: 4 }),
    omit: { user: { passwordHash: true } },
  });
}
type Client = ReturnType<typeof createClient>;

export function openBenchDatabase(url: string): BenchDatabase {
  const client = createClient(url);
  return {
    seed: (size) => seedOrganization(client, url, size),
    signIn: (userId, secret) => signIn(client, userId, secret),
    close: () => client.$disconnect(),
  };
}

async function seedOrganization(client: Client, url: string, size: number): Promise<SeededOrganization> {
  if (!Number.isInteger(size) || size < 1) throw new Error(`size must be a positive integer, got ${size}`);
  const started = performance.now();
  const owner = { name: "Olivia Owens", email: "owner@bench-corp.test", organizationName: "Bench Corp" };
  const { userId, organizationId } = await signUp(
    { ...owner, password: OWNER_PASSWORD, plan: "ENTERPRISE" },
    CONTEXT,
    client,
  );
  // One real argon2id hash shared by every teammate: hashing 100k passwords would take minutes.
  const passwordHash = await hashPassword("twofold-bench-teammate");
  await bulkInsertTeammates(url, { organizationId, count: size - 1, passwordHash });
  const users = await client.membership.count({ where: { organizationId, status: "ACTIVE" } });
  if (users !== size) throw new Error(`seeding produced ${users} members, expected ${size}`);
  return {
    organizationId,
    organizationName: owner.organizationName,
    ownerId: userId,
    ownerEmail: owner.email,
    ownerName: owner.name,
    users,
    seedMs: performance.now() - started,
  };
}

/**
 * What a completed sign-in leaves behind: a Session row (real createSession) and the next-auth session cookie, a JWT
 * encrypted with the server's NEXTAUTH_SECRET carrying the same claims the jwt callback issues ({ sub, sid }).
 */
async function signIn(client: Client, userId: string, secret: string): Promise<SignedInSession> {
  const session = await createSession(client, { userId, authMethod: "password", context: CONTEXT });
  await client.user.update({ where: { id: userId }, data: { lastSignInAt: new Date() } });
  const token = await encode({
    token: { sub: userId, sid: session.id },
    secret,
    maxAge: env.SESSION_MAX_AGE_HOURS * 3600,
  });
  return { sessionId: session.id, cookieName: sessionCookieName, cookie: `${sessionCookieName}=${token}` };
}
