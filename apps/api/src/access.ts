/**
 * Access rules shared by the routes: which task, course or submission a principal may reach. Anything
 * a principal may not see is "not found" rather than "forbidden" when its existence is not theirs to
 * know (another student's submission, another course's task).
 */
import { findSubmission, findTaskInCourses, type TaskInCourse } from '@mljudge/db';
import { definitionOf, type TaskDefinition } from '@mljudge/scoring';
import { isStaff, type Principal } from './plugins/auth.ts';
import { AppError, forbidden, notFound } from './problems/app-error.ts';
import type { Services } from './services.ts';

export interface TaskAccess {
  readonly task: TaskInCourse;
  readonly rules: TaskDefinition;
  readonly staff: boolean;
}

/**
 * A task the principal may see, by slug (and course slug when the slug is ambiguous), with its rules.
 * Students do not see a task before it opens.
 */
/** Students see a task once it opens, unless a TA hid it (staff always see it). */
export function studentsSee(task: { hiddenAt: Date | null }, rules: { opensAt: Date | undefined }, now: Date): boolean {
  return task.hiddenAt === null && (!rules.opensAt || rules.opensAt <= now);
}

export async function resolveTask(
  services: Services,
  principal: Principal,
  slug: string,
  courseSlug: string | undefined,
): Promise<TaskAccess> {
  const courses = principal.memberships
    .filter((m) => courseSlug === undefined || m.courseSlug === courseSlug)
    .map((m) => m.courseId);
  const now = services.now();
  const visible = (await findTaskInCourses(services.db, slug, courses))
    .map((task) => ({ task, rules: definitionOf(task), staff: isStaff(principal, task.courseId) }))
    .filter((access) => access.staff || studentsSee(access.task, access.rules, now));
  if (visible.length === 0) throw notFound(`Task "${slug}"`);
  if (visible.length > 1) {
    throw new AppError(
      'TASK_AMBIGUOUS',
      `You belong to several courses with a task "${slug}"; add ?course= with one of: ${visible.map((a) => a.task.course.slug).join(', ')}.`,
    );
  }
  return visible[0]!;
}

/** A task of a course the principal is staff of (403 for students of the course). */
export async function staffTask(
  services: Services,
  principal: Principal,
  slug: string,
  courseSlug: string | undefined,
): Promise<TaskAccess> {
  const access = await resolveTask(services, principal, slug, courseSlug);
  if (!access.staff) throw forbidden('Only TAs and admins can do this.');
  return access;
}

/**
 * A submission the principal may read: their own, or any in a course they are staff of. Anything
 * else is "not found" rather than "forbidden", so submission ids cannot be probed.
 */
export async function readableSubmission(services: Services, principal: Principal, id: string) {
  const submission = await findSubmission(services.db, id);
  if (!submission) throw notFound('Submission');
  const staff = isStaff(principal, submission.task.courseId);
  if (submission.userId !== principal.userId && !staff) throw notFound('Submission');
  return { submission, staff };
}

/** The principal's membership of a course: 404 when they are not a member. */
export function memberOf(principal: Principal, courseSlug: string) {
  const membership = principal.memberships.find((m) => m.courseSlug === courseSlug);
  if (!membership) throw notFound(`Course "${courseSlug}"`);
  return membership;
}

/** A course the principal is staff of: 404 when they are not a member, 403 when they are a student. */
export function staffCourse(principal: Principal, courseSlug: string) {
  const membership = memberOf(principal, courseSlug);
  if (!isStaff(principal, membership.courseId)) throw forbidden('Only TAs and admins can do this.');
  return membership;
}
