/** Access rules shared by the routes: which task, course or submission a principal may reach. */
import { findSubmission, findTaskInCourses } from '@mljudge/db';
import { isStaff, type Principal } from './plugins/auth.ts';
import { AppError, forbidden, notFound } from './problem.ts';
import type { Services } from './services.ts';

/** Finds a task the principal may see, by slug (and course slug when the slug is ambiguous). */
export async function resolveTask(
  services: Services,
  principal: Principal,
  slug: string,
  courseSlug: string | undefined,
) {
  const courses = principal.memberships
    .filter((m) => courseSlug === undefined || m.courseSlug === courseSlug)
    .map((m) => m.courseId);
  const tasks = await findTaskInCourses(services.db, slug, courses);
  if (tasks.length === 0) throw notFound(`Task "${slug}"`);
  if (tasks.length > 1) {
    throw new AppError(
      409,
      'TASK_AMBIGUOUS',
      `You belong to several courses with a task "${slug}"; add ?course= with one of: ${tasks.map((t) => t.course.slug).join(', ')}.`,
    );
  }
  return tasks[0]!;
}

/**
 * A submission the principal may read: their own, or any in a course they are staff of. Anything
 * else is "not found" rather than "forbidden", so submission ids cannot be probed.
 */
export async function readableSubmission(services: Services, principal: Principal, id: string) {
  const submission = await findSubmission(services.db, id).catch(() => null);
  if (!submission) throw notFound('Submission');
  const staff = isStaff(principal, submission.task.courseId);
  if (submission.userId !== principal.userId && !staff) throw notFound('Submission');
  return { submission, staff };
}

/** A course the principal is staff of: 404 when they are not a member, 403 when they are a student. */
export function staffCourse(principal: Principal, courseSlug: string) {
  const membership = principal.memberships.find((m) => m.courseSlug === courseSlug);
  if (!membership) throw notFound(`Course "${courseSlug}"`);
  if (!isStaff(principal, membership.courseId)) throw forbidden('Only TAs and admins can do this.');
  return membership;
}

/** A task of a course the principal is staff of (403 for students of the course). */
export async function staffTask(
  services: Services,
  principal: Principal,
  slug: string,
  courseSlug: string | undefined,
) {
  const task = await resolveTask(services, principal, slug, courseSlug);
  if (!isStaff(principal, task.courseId)) throw forbidden('Only TAs and admins can do this.');
  return task;
}
