-- CreateTable
CREATE TABLE "ReEnrollmentToken" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReEnrollmentToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ReEnrollmentToken_tokenHash_key" ON "ReEnrollmentToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ReEnrollmentToken_userId_usedAt_idx" ON "ReEnrollmentToken"("userId", "usedAt");

-- AddForeignKey
ALTER TABLE "ReEnrollmentToken" ADD CONSTRAINT "ReEnrollmentToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReEnrollmentToken" ADD CONSTRAINT "ReEnrollmentToken_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReEnrollmentToken" ADD CONSTRAINT "ReEnrollmentToken_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
