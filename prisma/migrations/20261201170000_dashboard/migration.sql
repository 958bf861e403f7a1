-- CreateTable
CREATE TABLE "AdoptionSnapshot" (
    "organizationId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "members" INTEGER NOT NULL,
    "enrolled" INTEGER NOT NULL,
    "exemptSso" INTEGER,
    "exemptUntil" INTEGER,
    "breakdown" JSONB,
    "source" TEXT NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AdoptionSnapshot_pkey" PRIMARY KEY ("organizationId","day")
);

-- CreateTable
CREATE TABLE "UpgradeRequest" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "requestedById" TEXT NOT NULL,
    "plan" "Plan" NOT NULL,
    "seats" INTEGER NOT NULL,
    "message" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "handledAt" TIMESTAMP(3),

    CONSTRAINT "UpgradeRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "UpgradeRequest_organizationId_createdAt_idx" ON "UpgradeRequest"("organizationId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "Membership_organizationId_twoFactorExemptUntil_idx" ON "Membership"("organizationId", "twoFactorExemptUntil");

-- AddForeignKey
ALTER TABLE "AdoptionSnapshot" ADD CONSTRAINT "AdoptionSnapshot_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpgradeRequest" ADD CONSTRAINT "UpgradeRequest_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
