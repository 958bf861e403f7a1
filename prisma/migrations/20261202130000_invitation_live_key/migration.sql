-- One live invitation per address and organization. Inviting an address revokes its earlier live invitation; two
-- invitations sent at the same moment (a double click, a script) both found none to revoke and both stayed live, each
-- with its own link. The service now serializes them (an advisory lock on the organization and address); this index
-- is the backstop. Existing duplicates keep their newest invitation live and the older ones are revoked.
UPDATE "Invitation" i SET "revokedAt" = now()
WHERE i."acceptedAt" IS NULL AND i."revokedAt" IS NULL
  AND EXISTS (
    SELECT 1 FROM "Invitation" n
    WHERE n."organizationId" = i."organizationId" AND n."email" = i."email"
      AND n."acceptedAt" IS NULL AND n."revokedAt" IS NULL
      AND (n."createdAt", n."id") > (i."createdAt", i."id")
  );

CREATE UNIQUE INDEX "Invitation_live_key" ON "Invitation"("organizationId", "email")
  WHERE "acceptedAt" IS NULL AND "revokedAt" IS NULL;
