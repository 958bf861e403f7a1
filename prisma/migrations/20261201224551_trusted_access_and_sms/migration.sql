-- CreateEnum
CREATE TYPE "TrustedNetworkScope" AS ENUM ('EVERYONE', 'MEMBERS_ONLY');

-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "rememberDeviceDays" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "riskBasedPrompt" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "smsCountries" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "smsDailyLimit" INTEGER NOT NULL DEFAULT 200,
ADD COLUMN     "trustedNetworkScope" "TrustedNetworkScope" NOT NULL DEFAULT 'EVERYONE';

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "country" TEXT,
ADD COLUMN     "lowerAssurance" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "SignInChallenge" ADD COLUMN     "skipDetail" TEXT,
ADD COLUMN     "skipReason" TEXT;

-- CreateTable
CREATE TABLE "TrustedNetwork" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "cidr" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrustedNetwork_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RememberedDevice" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "organizationId" TEXT,
    "policyDays" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "userAgent" TEXT,
    "ip" TEXT,
    "country" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RememberedDevice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FamiliarNetwork" (
    "userId" TEXT NOT NULL,
    "network" TEXT NOT NULL,
    "country" TEXT,
    "firstPassedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastPassedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FamiliarNetwork_pkey" PRIMARY KEY ("userId","network")
);

-- CreateTable
CREATE TABLE "PhoneFactor" (
    "userId" TEXT NOT NULL,
    "phoneE164" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "confirmedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),

    CONSTRAINT "PhoneFactor_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "SmsCode" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "phoneE164" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "challengeId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "consumedAt" TIMESTAMP(3),

    CONSTRAINT "SmsCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SmsSend" (
    "id" TEXT NOT NULL,
    "userId" TEXT,
    "organizationId" TEXT,
    "phoneE164" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "ip" TEXT,
    "purpose" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SmsSend_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TrustedNetwork_organizationId_cidr_key" ON "TrustedNetwork"("organizationId", "cidr");

-- CreateIndex
CREATE UNIQUE INDEX "RememberedDevice_tokenHash_key" ON "RememberedDevice"("tokenHash");

-- CreateIndex
CREATE INDEX "RememberedDevice_userId_expiresAt_idx" ON "RememberedDevice"("userId", "expiresAt");

-- CreateIndex
CREATE INDEX "RememberedDevice_organizationId_idx" ON "RememberedDevice"("organizationId");

-- CreateIndex
CREATE INDEX "FamiliarNetwork_userId_lastPassedAt_idx" ON "FamiliarNetwork"("userId", "lastPassedAt");

-- CreateIndex
CREATE INDEX "SmsCode_userId_purpose_createdAt_idx" ON "SmsCode"("userId", "purpose", "createdAt");

-- CreateIndex
CREATE INDEX "SmsSend_phoneE164_createdAt_idx" ON "SmsSend"("phoneE164", "createdAt");

-- CreateIndex
CREATE INDEX "SmsSend_userId_createdAt_idx" ON "SmsSend"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "SmsSend_ip_createdAt_idx" ON "SmsSend"("ip", "createdAt");

-- CreateIndex
CREATE INDEX "SmsSend_organizationId_createdAt_idx" ON "SmsSend"("organizationId", "createdAt");

-- AddForeignKey
ALTER TABLE "TrustedNetwork" ADD CONSTRAINT "TrustedNetwork_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RememberedDevice" ADD CONSTRAINT "RememberedDevice_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FamiliarNetwork" ADD CONSTRAINT "FamiliarNetwork_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PhoneFactor" ADD CONSTRAINT "PhoneFactor_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SmsCode" ADD CONSTRAINT "SmsCode_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
