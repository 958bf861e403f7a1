-- Settings > Users at 100,000 members (issue 13, target 3): indexes that match each keyset order of the table, trigram
-- indexes for the search by part of a name or email, and an exact active-member count per organization kept by a
-- trigger, so the unfiltered table never counts 100k rows per request.
--
-- pg_trgm ships with PostgreSQL (contrib); the embedded PGlite loads its pg_trgm bundle (lib/db-tools/embedded.ts).
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- AlterTable
ALTER TABLE "Organization" ADD COLUMN "activeMemberCount" INTEGER NOT NULL DEFAULT 0;

-- Search: `name ILIKE '%q%' OR email ILIKE '%q%'` (trigrams are case-insensitive).
-- CreateIndex
CREATE INDEX "User_name_idx" ON "User" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "User_email_idx" ON "User" USING GIN ("email" gin_trgm_ops);

-- Keyset orders (lib/services/teammates/table.ts SORT_KEYS). Joined: by membership. Name, email and last sign-in are
-- read from the user and broken by the user id (one membership per user and organization): expression indexes,
-- which schema.prisma cannot declare; Prisma Migrate leaves indexes on expressions alone (`tsx scripts/db-migrate.ts
-- diff` after this migration: "The database matches prisma/schema.prisma"), so a later migration will not drop them.
-- CreateIndex
CREATE INDEX "Membership_organizationId_status_createdAt_id_idx" ON "Membership"("organizationId", "status", "createdAt", "id");

CREATE INDEX "User_lower_name_id_idx" ON "User" (lower("name"), "id");
CREATE INDEX "User_lower_email_id_idx" ON "User" (lower("email"), "id");
CREATE INDEX "User_last_sign_in_id_idx" ON "User" ((COALESCE("lastSignInAt", '-infinity'::timestamp)), "id");

-- Organization.activeMemberCount = its memberships with status ACTIVE, whoever writes them (services, seeds, SQL):
-- one statement-level trigger per operation, summing the statement's changes per organization (a 100k-row insert
-- updates the organization once).
CREATE FUNCTION "membership_active_count"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE "Organization" o SET "activeMemberCount" = o."activeMemberCount" + d.n
    FROM (SELECT "organizationId", count(*)::int AS n FROM new_rows WHERE "status" = 'ACTIVE' GROUP BY 1) d
    WHERE o."id" = d."organizationId";
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE "Organization" o SET "activeMemberCount" = o."activeMemberCount" - d.n
    FROM (SELECT "organizationId", count(*)::int AS n FROM old_rows WHERE "status" = 'ACTIVE' GROUP BY 1) d
    WHERE o."id" = d."organizationId";
  ELSE
    UPDATE "Organization" o SET "activeMemberCount" = o."activeMemberCount" + d.n
    FROM (
      SELECT "organizationId", sum(n)::int AS n FROM (
        SELECT "organizationId", 1 AS n FROM new_rows WHERE "status" = 'ACTIVE'
        UNION ALL
        SELECT "organizationId", -1 AS n FROM old_rows WHERE "status" = 'ACTIVE'
      ) c GROUP BY 1 HAVING sum(n) <> 0
    ) d
    WHERE o."id" = d."organizationId";
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "Membership_active_count_insert" AFTER INSERT ON "Membership"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "membership_active_count"();
CREATE TRIGGER "Membership_active_count_update" AFTER UPDATE ON "Membership"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "membership_active_count"();
CREATE TRIGGER "Membership_active_count_delete" AFTER DELETE ON "Membership"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "membership_active_count"();

-- Backfill.
UPDATE "Organization" o SET "activeMemberCount" = (
  SELECT count(*) FROM "Membership" m WHERE m."organizationId" = o."id" AND m."status" = 'ACTIVE');
