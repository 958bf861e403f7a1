-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "batchKey" TEXT;

-- CreateIndex
CREATE INDEX "OutboxMessage_batchKey_idx" ON "OutboxMessage"("batchKey");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_sentAt_idx" ON "OutboxMessage"("status", "sentAt");
