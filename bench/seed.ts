// Benchmark data: one organization created through the real sign-up service, N-1 teammates bulk-inserted with
// set-based SQL, and a signed-in session for the owner (real createSession + a next-auth JWT cookie).
// Imported by bench/run.ts only after it has set the environment (lib/env.ts reads process.env at import).
import { PrismaPg } from "@prisma/adapter-pg";
import { encode } from "next-auth/jwt";
import pg from "pg";
import { SESSION_COOKIE as sessionCookieName } from "../lib/auth/cookies";
import { currentKeyVersion, encryptSecret } from "../lib/crypto/encryption";
import { hashPassword } from "../lib/crypto/password";
import { hashToken, randomToken } from "../lib/crypto/tokens";
import { generateTotpSecret } from "../lib/crypto/totp";
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

/** Users half-way through signing in: each has an authenticator app (one shared secret) and a pending challenge. */
export interface SecondStepPool {
  /** The TOTP secret every pool user's factor holds (encrypted per user, like a real enrolment). */
  totpSecret: string;
  /** Raw challenge tokens (the `twofold-challenge` cookie), one per user: each is used once. */
  challengeTokens: string[];
  seedMs: number;
}

export interface BenchDatabase {
  seed(size: number): Promise<SeededOrganization>;
  signIn(userId: string, secret: string): Promise<SignedInSession>;
  /** `count` users of a separate organization with a confirmed authenticator app and a fresh second-step challenge. */
  secondStepPool(count: number): Promise<SecondStepPool>;
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
    secondStepPool: (count) => secondStepPool(client, url, count),
    close: () => client.$disconnect(),
  };
}

async function seedOrganization(client: Client, url: string, size: number): Promise<SeededOrganization> {
  if (!Number.isInteger(size) || size < 1) throw new Error(`size must be a positive integer, got ${size}`);
  const started = performance.now();
  const owner = { name: "Olivia Owens", email: "owner@bench-corp.test", organizationName: "Bench Corp" };
  const { userId, organizationId } = await signUp(
    { input: { ...owner, password: OWNER_PASSWORD, plan: "ENTERPRISE" }, context: CONTEXT },
    { tx: client },
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

/**
 * The state `passwordStep` leaves for users with an authenticator app, made in bulk: users of their own organization
 * (bench/bulk.ts, so the measured organization's counts stay as seeded), a TotpFactor each (the secret sealed with
 * the real encryptSecret under the server's keys), and a SignInChallenge each (requirement "second-factor", stored as
 * the sha256 of a random token like createChallenge). Challenges live 5 minutes (CHALLENGE_TTL_MS): seed right before
 * the load.
 */
async function secondStepPool(client: Client, url: string, count: number): Promise<SecondStepPool> {
  const started = performance.now();
  const { organizationId } = await signUp(
    {
      input: {
        name: "Pool Owner",
        email: `pool-owner-${randomToken(6).toLowerCase()}@verify-pool.test`,
        password: OWNER_PASSWORD,
        organizationName: "Verify Pool",
      },
      context: CONTEXT,
    },
    { tx: client },
  );
  await bulkInsertTeammates(url, {
    organizationId,
    count,
    passwordHash: await hashPassword("twofold-bench-pool"),
    domain: `pool-${organizationId}.test`,
  });
  const users = await client.membership.findMany({
    where: { organizationId, role: { not: "OWNER" } },
    select: { userId: true },
  });
  const totpSecret = generateTotpSecret();
  const challengeTokens = users.map(() => randomToken(32));
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  try {
    const ids = users.map((u) => u.userId);
    await sql.query(
      `INSERT INTO "TotpFactor" ("userId", "secretEnc", "keyVersion", "confirmedAt")
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::timestamp[])`,
      [
        ids,
        ids.map((userId) => encryptSecret(totpSecret, { userId })),
        ids.map(() => currentKeyVersion()),
        ids.map(() => new Date()),
      ],
    );
    await sql.query(
      `INSERT INTO "SignInChallenge" ("id", "tokenHash", "userId", "requirement", "firstFactor", "ip", "userAgent",
                                      "createdAt", "expiresAt")
       SELECT 'c' || substr(md5(t.h), 1, 24), t.h, t.u, 'second-factor', 'password', '127.0.0.1', 'twofold-bench',
              now(), now() + interval '5 minutes'
       FROM unnest($1::text[], $2::text[]) AS t(h, u)`,
      [challengeTokens.map(hashToken), ids],
    );
  } finally {
    await sql.end();
  }
  return { totpSecret, challengeTokens, seedMs: performance.now() - started };
}
