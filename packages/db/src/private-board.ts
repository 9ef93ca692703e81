/**
 * The private board under Kaggle's final-selection rule: for each student, the candidates are the
 * submissions they selected or, if they selected none, their N best public ones; their private rank
 * comes from the best private score among those candidates. Ties go to the earlier submission.
 */
import { prismaOf, type Database } from './client.ts';

export interface PrivateBoardRow {
  readonly rank: number;
  readonly userId: string;
  readonly displayName: string;
  readonly submissionId: string;
  readonly value: number;
  readonly metrics: Record<string, number>;
  readonly submittedAt: Date;
  /** True when the student selected submissions; false when their best public ones were used. */
  readonly selectedByStudent: boolean;
}

/** Every row of the private board, best first (a course has hundreds of students, not millions). */
export async function privateBoard(
  database: Database,
  taskId: string,
  selectionLimit: number,
): Promise<PrivateBoardRow[]> {
  const rows = await prismaOf(database).$queryRaw<Array<Omit<PrivateBoardRow, 'rank'>>>`
    WITH scored AS (
      SELECT s.id, s."userId", s."createdAt", s.selected,
             CASE WHEN t.direction = 'HIGHER' THEN -pub.value ELSE pub.value END AS public_key,
             CASE WHEN t.direction = 'HIGHER' THEN -prv.value ELSE prv.value END AS private_key,
             prv.value AS private_value, prv.metrics AS private_metrics
      FROM "Submission" s
      JOIN "Task" t ON t.id = s."taskId"
      -- Members only: someone removed from the course keeps their submissions but leaves the boards.
      JOIN "Membership" m ON m."courseId" = t."courseId" AND m."userId" = s."userId"
      JOIN "Score" pub ON pub."submissionId" = s.id AND pub.split = 'PUBLIC'
      JOIN "Score" prv ON prv."submissionId" = s.id AND prv.split = 'PRIVATE'
      WHERE s."taskId" = ${taskId}::uuid AND s.status = 'SCORED' AND NOT s.late
    ), ranked AS (
      SELECT *, bool_or(selected) OVER (PARTITION BY "userId") AS has_selection,
             row_number() OVER (PARTITION BY "userId" ORDER BY public_key, "createdAt", id) AS public_rank
      FROM scored
    ), best AS (
      SELECT DISTINCT ON ("userId") *
      FROM ranked
      WHERE (has_selection AND selected) OR (NOT has_selection AND public_rank <= ${selectionLimit})
      ORDER BY "userId", private_key, "createdAt", id
    )
    SELECT b."userId", u."displayName", b.id AS "submissionId", b.private_value AS value, b.private_metrics AS metrics,
           b."createdAt" AS "submittedAt", b.has_selection AS "selectedByStudent"
    FROM best b JOIN "User" u ON u.id = b."userId"
    ORDER BY b.private_key, b."createdAt", b."userId"`;
  return rows.map((row, index) => ({ ...row, rank: index + 1 }));
}
