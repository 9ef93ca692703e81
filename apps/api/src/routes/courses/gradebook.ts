/**
 * The course gradebook: the database's read models (each student's public best, private entry and
 * best late work per task) put through the course rules of packages/grading.
 */
import {
  findCourse,
  gradebookScope,
  lateBests,
  privateBoard,
  publicBests,
  type Database,
  type Task,
} from '@mljudge/db';
import { courseGrades, taskGrades, type StudentGrades, type TaskGrade } from '@mljudge/grading';
import { definitionOf, gradingRulesOf } from '@mljudge/scoring';

async function gradesOfTask(db: Database, task: Task): Promise<Map<string, TaskGrade>> {
  const rules = definitionOf(task);
  const grading = gradingRulesOf(rules);
  const [publics, privates, lates] = await Promise.all([
    publicBests(db, task.id),
    privateBoard(db, task.id, rules.selectionLimit),
    grading.late?.policy === 'penalty' ? lateBests(db, task.id, task.direction) : Promise.resolve([]),
  ]);
  return taskGrades(grading, publics, privates, lates);
}

export interface Gradebook {
  readonly course: { readonly slug: string; readonly gradeBestOf: number | null };
  readonly tasks: readonly Task[];
  readonly students: readonly StudentGrades[];
}

export async function courseGradebook(db: Database, courseId: string): Promise<Gradebook> {
  const course = await findCourse(db, courseId);
  if (!course) throw new Error(`Course ${courseId} is gone.`);
  const { tasks, students } = await gradebookScope(db, courseId);
  const perTask = new Map<string, Map<string, TaskGrade>>();
  for (const task of tasks) perTask.set(task.slug, await gradesOfTask(db, task));
  return {
    course: { slug: course.slug, gradeBestOf: course.gradeBestOf },
    tasks,
    students: courseGrades(
      tasks.map((task) => task.slug),
      students,
      perTask,
      course.gradeBestOf,
    ),
  };
}
