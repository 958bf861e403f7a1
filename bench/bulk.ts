// N teammates in one set-based statement (INSERT … SELECT generate_series): 100k users + memberships in seconds.
// Deterministic pseudo-random mix: ~3 % administrators, 78 % employees / 12 % contractors / 10 % clients, ~10 % SSO
// accounts (no password), ~1 in 7 never signed in, join dates spread over two years.
import pg from "pg";

const FIRST_NAMES = (
  "Ana Tom Chloe Diego Olivia Liam Emma Noah Mia Lucas Sofia Mateo Amelia Hugo Isla Arjun Priya Kenji Yuki Fatima " +
  "Omar Lena Jonas Elif Mehmet Zoe Ethan Grace Samuel Nora Ivan Marta Pedro Ines Chen Wei Aisha Kwame Sara Leo"
).split(" ");
const LAST_NAMES = (
  "Pereira Li Martin Ramos Owens Smith Johnson Garcia Muller Rossi Dubois Novak Kowalski Nakamura Sato Patel Singh " +
  "Kim Nguyen Haddad Yilmaz Jensen Larsen Silva Costa Fischer Weber Moreau Bianchi Hansen Okafor Mensah Cohen Levi " +
  "Ivanova Horvat Brown Taylor Walker Clarke"
).split(" ");

export interface BulkTeammates {
  organizationId: string;
  count: number;
  /** One precomputed password hash shared by every password account. */
  passwordHash: string;
  /** Email domain (default bench-corp.test). */
  domain?: string;
}

/** Inserts `count` users with an active membership in the organization, in one transaction; then VACUUM ANALYZE. */
export async function bulkInsertTeammates(url: string, input: BulkTeammates): Promise<void> {
  if (input.count <= 0) return;
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  try {
    await sql.query("BEGIN");
    await sql.query(
      `WITH src AS (
         SELECT g,
                ($4::text[])[1 + g % cardinality($4::text[])] AS first,
                ($5::text[])[1 + (g / cardinality($4::text[])) % cardinality($5::text[])] AS last,
                abs(hashtext('bench:' || g)) % 100 AS r
         FROM generate_series(1, $1::int) AS g
       ),
       users AS (
         INSERT INTO "User" ("id", "email", "name", "passwordHash", "signInMethod", "lastSignInAt", "createdAt", "updatedAt")
         SELECT 'c' || substr(md5('bench-user:' || $2 || ':' || g), 1, 24),
                lower(first || '.' || last) || g || '@' || $6,
                first || ' ' || last,
                CASE WHEN r < 10 THEN NULL ELSE $3 END,
                (CASE WHEN r < 10 THEN 'SSO' ELSE 'PASSWORD' END)::"SignInMethod",
                CASE WHEN r % 7 = 0 THEN NULL
                     ELSE now() - r * interval '21 hours' - (g % 3600) * interval '1 second' END,
                now() - interval '730 days' + (g::float8 / $1::int) * interval '720 days',
                now()
         FROM src
         RETURNING "id", "createdAt"
       )
       INSERT INTO "Membership" ("id", "organizationId", "userId", "role", "type", "status", "createdAt", "updatedAt")
       SELECT 'c' || substr(md5('bench-membership:' || u."id"), 1, 24),
              $2,
              u."id",
              (CASE WHEN m.r < 3 THEN 'ADMIN' ELSE 'MEMBER' END)::"Role",
              (CASE WHEN m.r < 78 THEN 'EMPLOYEE' WHEN m.r < 90 THEN 'CONTRACTOR' ELSE 'CLIENT' END)::"MembershipType",
              'ACTIVE'::"MembershipStatus",
              u."createdAt",
              now()
       FROM users u, LATERAL (SELECT abs(hashtext('bench-role:' || u."id")) % 100 AS r) m`,
      [
        input.count,
        input.organizationId,
        input.passwordHash,
        FIRST_NAMES,
        LAST_NAMES,
        input.domain ?? "bench-corp.test",
      ],
    );
    await sql.query("COMMIT");
  } catch (e) {
    await sql.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    await sql.end().catch(() => {});
  }
  const analyze = new pg.Client({ connectionString: url });
  await analyze.connect();
  try {
    // VACUUM too, as autovacuum would after a load this size: it merges the rows queued in the trigram (GIN) indexes'
    // pending lists, which every search would otherwise read through.
    await analyze.query(`VACUUM ANALYZE "User", "Membership"`);
  } finally {
    await analyze.end();
  }
}
