-- AlterTable
ALTER TABLE "User" ADD COLUMN     "siteAdmin" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Submission" ADD COLUMN     "artifactPurgedAt" TIMESTAMPTZ(3),
ADD COLUMN     "interruptions" INTEGER NOT NULL DEFAULT 0;
