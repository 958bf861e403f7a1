-- CreateEnum
CREATE TYPE "EnforcementMode" AS ENUM ('NOW', 'NEXT_SIGN_IN', 'GRACE');

-- CreateEnum
CREATE TYPE "SecondFactorMethod" AS ENUM ('TOTP', 'SMS');

-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "allowedMethods" "SecondFactorMethod"[] DEFAULT ARRAY['TOTP']::"SecondFactorMethod"[],
ADD COLUMN     "enforcementMode" "EnforcementMode",
ADD COLUMN     "exemptSso" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "graceDays" INTEGER,
ADD COLUMN     "graceDeadline" TIMESTAMP(3),
ADD COLUMN     "graceExpiredAt" TIMESTAMP(3),
ADD COLUMN     "graceReminder1At" TIMESTAMP(3),
ADD COLUMN     "graceReminder7At" TIMESTAMP(3),
ADD COLUMN     "modeSince" TIMESTAMP(3),
ADD COLUMN     "policyUpdatedAt" TIMESTAMP(3),
ADD COLUMN     "policyUpdatedById" TEXT,
ADD COLUMN     "policyVersion" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "requireTwoFactor" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "requiredSince" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "SignInChallenge" ADD COLUMN     "firstFactor" TEXT NOT NULL DEFAULT 'password';

-- CreateTable
CREATE TABLE "EmailCode" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "consumedAt" TIMESTAMP(3),

    CONSTRAINT "EmailCode_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "EmailCode_userId_purpose_createdAt_idx" ON "EmailCode"("userId", "purpose", "createdAt");

-- CreateIndex
CREATE INDEX "Organization_requireTwoFactor_enforcementMode_idx" ON "Organization"("requireTwoFactor", "enforcementMode");

-- AddForeignKey
ALTER TABLE "EmailCode" ADD CONSTRAINT "EmailCode_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
