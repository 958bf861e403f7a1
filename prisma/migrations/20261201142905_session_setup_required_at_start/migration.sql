-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "setupRequiredAtStart" BOOLEAN NOT NULL DEFAULT false;
