-- AlterTable
ALTER TABLE "Course" ADD COLUMN     "gradeBestOf" INTEGER;

-- AlterTable
ALTER TABLE "Submission" ADD COLUMN     "late" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "selected" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "TaskOverride" (
    "taskId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "extraDailySubmissions" INTEGER NOT NULL DEFAULT 0,
    "deadline" TIMESTAMPTZ(3),
    "reason" TEXT NOT NULL,
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TaskOverride_pkey" PRIMARY KEY ("taskId","userId")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" UUID NOT NULL,
    "courseId" UUID NOT NULL,
    "actorId" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "details" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScoreHistory" (
    "id" UUID NOT NULL,
    "submissionId" UUID NOT NULL,
    "split" "Split" NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "metrics" JSONB NOT NULL,
    "scorerVersion" TEXT NOT NULL,
    "taskVersion" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "replacedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ScoreHistory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RescoreRun" (
    "id" UUID NOT NULL,
    "taskId" UUID NOT NULL,
    "requestedById" UUID NOT NULL,
    "taskVersion" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "submissions" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RescoreRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditEvent_courseId_createdAt_idx" ON "AuditEvent"("courseId", "createdAt");

-- CreateIndex
CREATE INDEX "ScoreHistory_submissionId_idx" ON "ScoreHistory"("submissionId");

-- CreateIndex
CREATE INDEX "RescoreRun_taskId_createdAt_idx" ON "RescoreRun"("taskId", "createdAt");

-- AddForeignKey
ALTER TABLE "TaskOverride" ADD CONSTRAINT "TaskOverride_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskOverride" ADD CONSTRAINT "TaskOverride_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScoreHistory" ADD CONSTRAINT "ScoreHistory_submissionId_fkey" FOREIGN KEY ("submissionId") REFERENCES "Submission"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RescoreRun" ADD CONSTRAINT "RescoreRun_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE CASCADE ON UPDATE CASCADE;
