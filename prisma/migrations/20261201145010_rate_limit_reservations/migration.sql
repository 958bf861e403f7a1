-- AlterTable
ALTER TABLE "RateLimit" ADD COLUMN     "failures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "generation" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "RateLimit_lockedUntil_idx" ON "RateLimit"("lockedUntil");
