-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "alertAdminsOnRecoveryCode" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "TotpFactor" ADD COLUMN     "lastUsedClient" TEXT;
