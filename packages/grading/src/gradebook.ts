/**
 * The course gradebook's rules: for every student and task, the points of the baselines passed on the
 * public board (their best public score) and on the private board (their best private score among the
 * final selection), late work counted only under the penalty policy and scaled by its factor; then
 * the course total over the best N tasks. Pure: the rows come from the database's read models.
 */
import { baselinesPassed, type Baseline, type Board, type MetricDirections } from './baselines.ts';
import { courseTotal } from './grade-total.ts';
import { bandPoints, type Band } from './points.ts';

export interface TaskGradingRules {
  readonly metric: string;
  readonly baselines: readonly Baseline[];
  readonly directions: MetricDirections;
  /** Interval points (HW12) replace baseline points when present. */
  readonly pointBands: readonly Band[] | undefined;
  readonly late: { readonly policy: 'refuse' | 'unranked' | 'penalty'; readonly factor: number } | undefined;
}

export interface GradedEntry {
  readonly userId: string;
  readonly metrics: Readonly<Record<string, number>> | null;
}

export interface LateEntry {
  readonly userId: string;
  readonly publicMetrics: Readonly<Record<string, number>>;
  readonly privateMetrics: Readonly<Record<string, number>> | null;
}

export interface TaskGrade {
  readonly publicPoints: number;
  readonly privatePoints: number;
  readonly points: number;
}

export const NO_GRADE: TaskGrade = { publicPoints: 0, privatePoints: 0, points: 0 };

function pointsOf(rules: TaskGradingRules, board: Board, metrics: Readonly<Record<string, number>> | null): number {
  if (!metrics) return 0;
  if (rules.pointBands) {
    const value = metrics[rules.metric];
    return value === undefined ? 0 : bandPoints(value, rules.pointBands);
  }
  return baselinesPassed(rules.baselines, board, metrics, rules.directions).points;
}

/** Every student's grade on one task, from their public best, private entry and best late work. */
export function taskGrades(
  rules: TaskGradingRules,
  publicBests: readonly GradedEntry[],
  privateEntries: readonly GradedEntry[],
  lateBests: readonly LateEntry[],
): Map<string, TaskGrade> {
  const grades = new Map<string, { publicPoints: number; privatePoints: number }>();
  const entry = (userId: string) => {
    let grade = grades.get(userId);
    if (!grade) grades.set(userId, (grade = { publicPoints: 0, privatePoints: 0 }));
    return grade;
  };
  for (const best of publicBests) entry(best.userId).publicPoints = pointsOf(rules, 'public', best.metrics);
  for (const row of privateEntries) entry(row.userId).privatePoints = pointsOf(rules, 'private', row.metrics);
  if (rules.late?.policy === 'penalty') {
    for (const late of lateBests) {
      const grade = entry(late.userId);
      grade.publicPoints = Math.max(
        grade.publicPoints,
        rules.late.factor * pointsOf(rules, 'public', late.publicMetrics),
      );
      grade.privatePoints = Math.max(
        grade.privatePoints,
        rules.late.factor * pointsOf(rules, 'private', late.privateMetrics),
      );
    }
  }
  return new Map(
    [...grades].map(([userId, grade]) => [userId, { ...grade, points: grade.publicPoints + grade.privatePoints }]),
  );
}

export interface StudentGrades {
  readonly userId: string;
  readonly email: string;
  readonly displayName: string;
  readonly tasks: Readonly<Record<string, TaskGrade>>;
  readonly total: number;
}

/** Each student's row: every task's grade (0 when they did not take part) and the best-N total. */
export function courseGrades(
  taskSlugs: readonly string[],
  students: ReadonlyArray<{ id: string; email: string; displayName: string }>,
  gradesByTask: ReadonlyMap<string, ReadonlyMap<string, TaskGrade>>,
  bestOf: number | null,
): StudentGrades[] {
  return students.map((student) => {
    const tasks = Object.fromEntries(
      taskSlugs.map((slug) => [slug, gradesByTask.get(slug)?.get(student.id) ?? NO_GRADE]),
    );
    return {
      userId: student.id,
      email: student.email,
      displayName: student.displayName,
      tasks,
      total: courseTotal(
        Object.values(tasks).map((grade) => grade.points),
        bestOf,
      ),
    };
  });
}
