-- AlterTable
ALTER TABLE "Submission" ADD COLUMN     "runInfo" JSONB;
