-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "twoFactorExemptById" TEXT,
ADD COLUMN     "twoFactorExemptReason" TEXT,
ADD COLUMN     "twoFactorExemptUntil" TIMESTAMP(3),
ADD COLUMN     "twoFactorReminderAt" TIMESTAMP(3),
ADD COLUMN     "usersTableColumns" JSONB;

-- CreateIndex
CREATE INDEX "Membership_organizationId_status_role_createdAt_id_idx" ON "Membership"("organizationId", "status", "role", "createdAt", "id");
