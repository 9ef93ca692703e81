/**
 * The course gradebook: for every student and task, the points of the baselines passed on the public
 * board (best public score) and on the private board (best private score among the final selection),
 * late work counted only under the penalty policy and scaled by its factor; then the course total over
 * the best N tasks.
 */
import { privateBoard, publicBests, type Database, type Task } from '@mljudge/db';
import { baselinesPassed, courseTotal } from '@mljudge/grading';
import { bandPoints } from '@mljudge/metrics';
import { baselinesOf, directionsOf, rulesOf } from './task-rules.ts';

export interface TaskGrade {
  readonly publicPoints: number;
  readonly privatePoints: number;
  readonly points: number;
}

export interface StudentGrades {
  readonly userId: string;
  readonly email: string;
  readonly displayName: string;
  readonly tasks: Record<string, TaskGrade>;
  readonly total: number;
}

interface LateBest {
  userId: string;
  publicMetrics: Record<string, number>;
  privateMetrics: Record<string, number> | null;
}

async function lateBests(db: Database, task: Task): Promise<LateBest[]> {
  return db.$queryRaw<LateBest[]>`
    SELECT DISTINCT ON (s."userId") s."userId", pub.metrics AS "publicMetrics", prv.metrics AS "privateMetrics"
    FROM "Submission" s
    JOIN "Score" pub ON pub."submissionId" = s.id AND pub.split = 'PUBLIC'
    LEFT JOIN "Score" prv ON prv."submissionId" = s.id AND prv.split = 'PRIVATE'
    WHERE s."taskId" = ${task.id}::uuid AND s.status = 'SCORED' AND s.late
    ORDER BY s."userId", CASE WHEN ${task.direction}::text = 'HIGHER' THEN -pub.value ELSE pub.value END, s."createdAt"`;
}

async function taskGrades(db: Database, task: Task): Promise<Map<string, TaskGrade>> {
  const rules = rulesOf(task);
  const baselines = baselinesOf(rules);
  const directions = directionsOf(rules);
  const [publics, privates] = await Promise.all([
    publicBests(db, task.id),
    privateBoard(db, task.id, rules.selectionLimit),
  ]);
  const grades = new Map<string, { publicPoints: number; privatePoints: number }>();
  const entry = (userId: string) =>
    grades.get(userId) ?? grades.set(userId, { publicPoints: 0, privatePoints: 0 }).get(userId)!;
  // HW12-style interval schemes replace baseline points: the band of the primary metric's value.
  const points = (board: 'public' | 'private', metrics: Record<string, number> | null) => {
    if (!metrics) return 0;
    const value = metrics[rules.metric.name];
    if (rules.pointBands) return value === undefined ? 0 : bandPoints(value, rules.pointBands);
    return baselinesPassed(baselines, board, metrics, directions).points;
  };
  for (const best of publics) entry(best.userId).publicPoints = points('public', best.metrics);
  for (const row of privates) entry(row.userId).privatePoints = points('private', row.metrics);
  if (rules.late?.policy === 'penalty') {
    for (const late of await lateBests(db, task)) {
      const grade = entry(late.userId);
      grade.publicPoints = Math.max(grade.publicPoints, rules.late.factor * points('public', late.publicMetrics));
      grade.privatePoints = Math.max(grade.privatePoints, rules.late.factor * points('private', late.privateMetrics));
    }
  }
  return new Map(
    [...grades].map(([userId, grade]) => [userId, { ...grade, points: grade.publicPoints + grade.privatePoints }]),
  );
}

export async function courseGradebook(
  db: Database,
  courseId: string,
): Promise<{ tasks: Task[]; students: StudentGrades[] }> {
  const course = await db.course.findUniqueOrThrow({ where: { id: courseId } });
  const tasks = await db.task.findMany({ where: { courseId }, orderBy: [{ deadline: 'asc' }, { slug: 'asc' }] });
  const members = await db.membership.findMany({
    where: { courseId, role: 'STUDENT' },
    include: { user: true },
    orderBy: { user: { email: 'asc' } },
  });
  const perTask = new Map<string, Map<string, TaskGrade>>();
  for (const task of tasks) perTask.set(task.slug, await taskGrades(db, task));
  const none: TaskGrade = { publicPoints: 0, privatePoints: 0, points: 0 };
  const students = members.map(({ user }) => {
    const grades = Object.fromEntries(tasks.map((task) => [task.slug, perTask.get(task.slug)!.get(user.id) ?? none]));
    return {
      userId: user.id,
      email: user.email,
      displayName: user.displayName,
      tasks: grades,
      total: courseTotal(
        Object.values(grades).map((grade) => grade.points),
        course.gradeBestOf,
      ),
    };
  });
  return { tasks, students };
}
