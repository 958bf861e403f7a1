-- Issue 13 (target 3) and issue 15 (target 7), measured in bench/: the Users table and the dashboard at 100,000 members.
--
-- 1. The Users table sorts by name, email and last sign-in and searches by part of a name or email. Those keys lived
--    on "User", so every view walked a User index and looked up each user's membership (or walked the memberships and
--    looked up each user to test the search): thousands of look-ups per page, and in a database of many
--    organizations a walk over every organization's users. The member's name, email and last sign-in are now copied
--    onto each of their memberships by triggers (whoever writes them: services, seeds, SQL), so each order is ONE
--    index on Membership, leading with the organization, and the search filters memberships without a User look-up.

-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "userEmail" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "userLastSignInAt" TIMESTAMP(3),
ADD COLUMN     "userName" TEXT NOT NULL DEFAULT '';

-- Backfill.
UPDATE "Membership" m SET "userName" = u."name", "userEmail" = u."email", "userLastSignInAt" = u."lastSignInAt"
FROM "User" u WHERE u."id" = m."userId";

-- A new membership (or one moved to another user) takes its user's values.
CREATE FUNCTION "membership_user_keys"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT u."name", u."email", u."lastSignInAt" INTO NEW."userName", NEW."userEmail", NEW."userLastSignInAt"
  FROM "User" u WHERE u."id" = NEW."userId";
  RETURN NEW;
END
$$;
CREATE TRIGGER "Membership_user_keys" BEFORE INSERT OR UPDATE OF "userId", "userName", "userEmail", "userLastSignInAt"
  ON "Membership" FOR EACH ROW EXECUTE FUNCTION "membership_user_keys"();

-- A user's new name, email or last sign-in reaches each of their memberships (usually one row).
CREATE FUNCTION "user_membership_keys"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Membership" m SET "userName" = NEW."name", "userEmail" = NEW."email", "userLastSignInAt" = NEW."lastSignInAt"
  WHERE m."userId" = NEW."id";
  RETURN NULL;
END
$$;
CREATE TRIGGER "User_membership_keys" AFTER UPDATE OF "name", "email", "lastSignInAt" ON "User" FOR EACH ROW
  WHEN (OLD."name" IS DISTINCT FROM NEW."name" OR OLD."email" IS DISTINCT FROM NEW."email"
        OR OLD."lastSignInAt" IS DISTINCT FROM NEW."lastSignInAt")
  EXECUTE FUNCTION "user_membership_keys"();

-- Keyset orders (lib/services/teammates/table.ts SORT_KEYS), each exactly the column list of an index: expression
-- indexes, which schema.prisma cannot declare and Prisma Migrate leaves alone.
CREATE INDEX "Membership_org_status_lower_name_id_idx" ON "Membership" ("organizationId", "status", lower("userName"), "id");
CREATE INDEX "Membership_org_status_lower_email_id_idx" ON "Membership" ("organizationId", "status", lower("userEmail"), "id");
CREATE INDEX "Membership_org_status_last_sign_in_id_idx"
  ON "Membership" ("organizationId", "status", (COALESCE("userLastSignInAt", '-infinity'::timestamp)), "id");

-- Search when the match is rare: trigrams of the copies (a common match walks the order's index instead).
-- CreateIndex
CREATE INDEX "Membership_userName_idx" ON "Membership" USING GIN ("userName" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Membership_userEmail_idx" ON "Membership" USING GIN ("userEmail" gin_trgm_ops);

-- The User orders of migration 20261201171000 served only the Users table: every sign-in no longer writes them.
DROP INDEX "User_lower_name_id_idx";
DROP INDEX "User_lower_email_id_idx";
DROP INDEX "User_last_sign_in_id_idx";

-- 2. The audit log and the dashboard. The audit log pages on (createdAt, id), newest first: the index now has the id
--    too, so events sharing a timestamp (a bulk change) never make a page read more than it shows. The dashboard's
--    at-risk lists and chart markers read one organization's events of a type.
-- DropIndex
DROP INDEX "AuditEvent_organizationId_createdAt_idx";

-- CreateIndex
CREATE INDEX "AuditEvent_organizationId_createdAt_id_idx" ON "AuditEvent"("organizationId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "AuditEvent_organizationId_type_createdAt_idx" ON "AuditEvent"("organizationId", "type", "createdAt" DESC);
