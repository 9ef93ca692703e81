/** Read models for TAs: gradebook inputs, the submissions export, and the integrity report. */
import { prismaOf, type Database } from './client.ts';

export interface PublicBest {
  readonly userId: string;
  readonly submissionId: string;
  readonly late: boolean;
  readonly metrics: Record<string, number>;
}

/** Each student's best public score with all its metrics (late work excluded, as on the board). */
export async function publicBests(database: Database, taskId: string): Promise<PublicBest[]> {
  return prismaOf(database).$queryRaw<PublicBest[]>`
    SELECT b."userId", b."submissionId", s.late, sc.metrics
    FROM "BestScore" b
    JOIN "Submission" s ON s.id = b."submissionId"
    JOIN "Score" sc ON sc."submissionId" = b."submissionId" AND sc.split = 'PUBLIC'
    WHERE b."taskId" = ${taskId}::uuid AND b.split = 'PUBLIC'`;
}

export interface SubmissionExportRow {
  readonly submissionId: string;
  readonly email: string;
  readonly displayName: string;
  readonly status: string;
  readonly createdAt: Date;
  readonly late: boolean;
  readonly selected: boolean;
  readonly sha256: string;
  readonly publicValue: number | null;
  readonly privateValue: number | null;
  readonly errorCode: string | null;
}

/** Every submission of a task with both scores, oldest first. */
export async function submissionsExport(database: Database, taskId: string): Promise<SubmissionExportRow[]> {
  return prismaOf(database).$queryRaw<SubmissionExportRow[]>`
    SELECT s.id AS "submissionId", u.email, u."displayName", s.status::text AS status, s."createdAt", s.late, s.selected,
           s."artifactSha256" AS sha256, pub.value AS "publicValue", prv.value AS "privateValue", s."errorCode"
    FROM "Submission" s
    JOIN "User" u ON u.id = s."userId"
    LEFT JOIN "Score" pub ON pub."submissionId" = s.id AND pub.split = 'PUBLIC'
    LEFT JOIN "Score" prv ON prv."submissionId" = s.id AND prv.split = 'PRIVATE'
    WHERE s."taskId" = ${taskId}::uuid
    ORDER BY s."createdAt", s.id`;
}

export interface IntegrityGroup {
  readonly kind: 'identical-file' | 'identical-scores';
  /** The shared file hash, or the shared "public/private" score pair. */
  readonly key: string;
  readonly students: Array<{ userId: string; email: string; submissionId: string }>;
}

/**
 * Different students with byte-identical files, or with identical (public, private) score pairs: the
 * course TAs' copy check.
 */
export async function integrityReport(database: Database, taskId: string): Promise<IntegrityGroup[]> {
  const files = await prismaOf(database).$queryRaw<Array<{ key: string; students: IntegrityGroup['students'] }>>`
    SELECT s."artifactSha256" AS key,
           json_agg(json_build_object('userId', s."userId", 'email', u.email, 'submissionId', s.id) ORDER BY u.email, s.id) AS students
    FROM "Submission" s JOIN "User" u ON u.id = s."userId"
    WHERE s."taskId" = ${taskId}::uuid AND s.status <> 'REJECTED'
    GROUP BY s."artifactSha256"
    HAVING count(DISTINCT s."userId") > 1`;
  const pairs = await prismaOf(database).$queryRaw<Array<{ key: string; students: IntegrityGroup['students'] }>>`
    SELECT pub.value::text || '/' || prv.value::text AS key,
           json_agg(json_build_object('userId', s."userId", 'email', u.email, 'submissionId', s.id) ORDER BY u.email, s.id) AS students
    FROM "Submission" s
    JOIN "User" u ON u.id = s."userId"
    JOIN "Score" pub ON pub."submissionId" = s.id AND pub.split = 'PUBLIC'
    JOIN "Score" prv ON prv."submissionId" = s.id AND prv.split = 'PRIVATE'
    WHERE s."taskId" = ${taskId}::uuid AND s.status = 'SCORED'
    GROUP BY pub.value, prv.value
    HAVING count(DISTINCT s."userId") > 1`;
  return [
    ...files.map((group) => ({ kind: 'identical-file' as const, ...group })),
    ...pairs.map((group) => ({ kind: 'identical-scores' as const, ...group })),
  ];
}

export interface HourlyActivity {
  /** Start of the hour (UTC). */
  readonly hour: Date;
  readonly submissions: number;
  readonly rejected: number;
}

/** Uploads per hour (the deadline rush), counting rejected files separately. */
export async function hourlyActivity(database: Database, taskId: string): Promise<HourlyActivity[]> {
  const rows = await prismaOf(database).$queryRaw<Array<{ hour: Date; submissions: bigint; rejected: bigint }>>`
    SELECT date_trunc('hour', "createdAt" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour,
           count(*) AS submissions, count(*) FILTER (WHERE status = 'REJECTED') AS rejected
    FROM "Submission" WHERE "taskId" = ${taskId}::uuid
    GROUP BY 1 ORDER BY 1`;
  return rows.map((row) => ({ hour: row.hour, submissions: Number(row.submissions), rejected: Number(row.rejected) }));
}

/** Submissions of a task by status. */
export async function statusCounts(database: Database, taskId: string): Promise<Record<string, number>> {
  const rows = await prismaOf(database).submission.groupBy({
    by: ['status'],
    where: { taskId },
    _count: { _all: true },
  });
  return Object.fromEntries(rows.map((row) => [row.status, row._count._all]));
}

export interface LateBest {
  readonly userId: string;
  readonly publicMetrics: Record<string, number>;
  readonly privateMetrics: Record<string, number> | null;
}

/** Each student's best late submission (by the public score), for grading under a penalty policy. */
export async function lateBests(
  database: Database,
  taskId: string,
  direction: 'HIGHER' | 'LOWER',
): Promise<LateBest[]> {
  return prismaOf(database).$queryRaw<LateBest[]>`
    SELECT DISTINCT ON (s."userId") s."userId", pub.metrics AS "publicMetrics", prv.metrics AS "privateMetrics"
    FROM "Submission" s
    JOIN "Score" pub ON pub."submissionId" = s.id AND pub.split = 'PUBLIC'
    LEFT JOIN "Score" prv ON prv."submissionId" = s.id AND prv.split = 'PRIVATE'
    WHERE s."taskId" = ${taskId}::uuid AND s.status = 'SCORED' AND s.late
    ORDER BY s."userId", CASE WHEN ${direction}::text = 'HIGHER' THEN -pub.value ELSE pub.value END, s."createdAt"`;
}

/** The course's tasks (by deadline) and students (by email) that a gradebook has rows and columns for. */
export async function gradebookScope(database: Database, courseId: string) {
  const db = prismaOf(database);
  const [tasks, members] = await Promise.all([
    // A hidden task was a mistake; it counts for no one.
    db.task.findMany({ where: { courseId, hiddenAt: null }, orderBy: [{ deadline: 'asc' }, { slug: 'asc' }] }),
    db.membership.findMany({
      where: { courseId, role: 'STUDENT' },
      include: { user: { select: { id: true, email: true, displayName: true } } },
      orderBy: { user: { email: 'asc' } },
    }),
  ]);
  return { tasks, students: members.map((member) => member.user) };
}

export interface FailedSubmission {
  readonly submissionId: string;
  readonly email: string;
  readonly createdAt: Date;
  readonly finishedAt: Date | null;
  readonly errorCode: string | null;
  /** As stored: the student's message, and for PROGRAM_FAILED the program's diagnostics. */
  readonly errorDetail: Record<string, unknown> | null;
}

/** The task's most recent failures on our side or the TAs' (FAILED), newest first: the TAs' to look into. */
export async function recentFailures(database: Database, taskId: string, limit: number): Promise<FailedSubmission[]> {
  return prismaOf(database).$queryRaw<FailedSubmission[]>`
    SELECT s.id AS "submissionId", u.email, s."createdAt", s."finishedAt", s."errorCode", s."errorDetail"
    FROM "Submission" s JOIN "User" u ON u.id = s."userId"
    WHERE s."taskId" = ${taskId}::uuid AND s.status = 'FAILED'
    ORDER BY s."finishedAt" DESC NULLS LAST, s.id
    LIMIT ${limit}`;
}
