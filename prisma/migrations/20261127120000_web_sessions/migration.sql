-- CreateEnum
CREATE TYPE "TokenKind" AS ENUM ('API', 'SESSION');

-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "kind" "TokenKind" NOT NULL DEFAULT 'API';

-- CreateIndex
CREATE INDEX "ApiToken_userId_kind_idx" ON "ApiToken"("userId", "kind");
