-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "linkProofAt" TIMESTAMP(3);
