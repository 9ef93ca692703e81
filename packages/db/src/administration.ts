/**
 * Running a site and its courses: the first site admin (the admin command), courses, staff roles,
 * removing a member, and resetting a password. Every change that affects a course is audited.
 */
import { prismaOf, type Database } from './client.ts';
import type { Role } from './generated/prisma/client.ts';
import { normalizeEmail } from './identity.ts';
import { generatedPassword, hashPassword } from './passwords.ts';
import { recordAudit } from './audit.ts';
import type { Course } from './courses.ts';
import { putMembership } from './courses.ts';

export class CourseExistsError extends Error {
  override name = 'CourseExistsError';
}

export class MemberNotFoundError extends Error {
  override name = 'MemberNotFoundError';
}

export interface NewCourse {
  readonly slug: string;
  readonly title: string;
  readonly timeZone: string;
  readonly gradeBestOf: number | null;
}

/** Creates a course; a slug in use is CourseExistsError (a course is never silently overwritten). */
export async function createCourse(database: Database, course: NewCourse, actorId: string | null): Promise<Course> {
  const db = prismaOf(database);
  const existing = await db.course.findUnique({ where: { slug: course.slug } });
  if (existing) throw new CourseExistsError(`A course "${course.slug}" exists already.`);
  return db.$transaction(async (tx) => {
    const created = await tx.course.create({ data: course });
    await recordAudit(tx, created.id, actorId, 'course.create', { ...course });
    return created;
  });
}

/** Changes a course's title, time zone or best-of rule. */
export async function updateCourse(
  database: Database,
  courseId: string,
  changes: Partial<Omit<NewCourse, 'slug'>>,
  actorId: string,
): Promise<Course> {
  return prismaOf(database).$transaction(async (tx) => {
    const updated = await tx.course.update({ where: { id: courseId }, data: changes });
    await recordAudit(tx, courseId, actorId, 'course.update', { ...changes });
    return updated;
  });
}

/** The courses of the site, by slug (site admins see them all). */
export async function listCourses(database: Database): Promise<Course[]> {
  return prismaOf(database).course.findMany({ orderBy: { slug: 'asc' } });
}

export interface AccountWithPassword {
  readonly userId: string;
  readonly email: string;
  readonly displayName: string;
  readonly created: boolean;
  /** A generated password for an account this call created, shown once; null otherwise. */
  readonly initialPassword: string | null;
}

/**
 * Makes `email` a site admin, creating the account when there is none (with `password`, or a
 * generated one returned once). An existing account keeps its name and password.
 */
export async function ensureSiteAdmin(
  database: Database,
  input: { email: string; displayName: string; password?: string },
): Promise<AccountWithPassword> {
  const db = prismaOf(database);
  const email = normalizeEmail(input.email);
  const existing = await db.user.findUnique({ where: { email } });
  if (existing) {
    await db.user.update({ where: { id: existing.id }, data: { siteAdmin: true } });
    return { userId: existing.id, email, displayName: existing.displayName, created: false, initialPassword: null };
  }
  const generated = input.password === undefined ? generatedPassword() : null;
  const user = await db.user.create({
    data: {
      email,
      displayName: input.displayName,
      siteAdmin: true,
      passwordHash: await hashPassword(input.password ?? generated!),
    },
  });
  return { userId: user.id, email, displayName: user.displayName, created: true, initialPassword: generated };
}

/** An account by email, or null. */
export async function findUserByEmail(database: Database, email: string) {
  const user = await prismaOf(database).user.findUnique({ where: { email: normalizeEmail(email) } });
  return user ? { id: user.id, email: user.email, displayName: user.displayName, siteAdmin: user.siteAdmin } : null;
}

/**
 * Sets a generated password and ends every session and token of the account: whoever had the old
 * one (or the account) is signed out. Returns the new password, to be shown once.
 */
export async function resetPassword(
  database: Database,
  userId: string,
  context: { courseId: string | null; actorId: string | null; now: Date },
): Promise<string> {
  const password = generatedPassword();
  const passwordHash = await hashPassword(password);
  await prismaOf(database).$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { passwordHash } });
    await tx.apiToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: context.now } });
    if (context.courseId) await recordAudit(tx, context.courseId, context.actorId, 'member.password-reset', { userId });
  });
  return password;
}

/** Changes a member's role (the caller checks who may). */
export async function changeMemberRole(
  database: Database,
  courseId: string,
  userId: string,
  role: Role,
  actorId: string,
): Promise<void> {
  await prismaOf(database).$transaction(async (tx) => {
    const current = await tx.membership.findUnique({ where: { courseId_userId: { courseId, userId } } });
    if (!current) throw new MemberNotFoundError('No such member in this course.');
    if (current.role === role) return;
    await putMembership(tx, courseId, userId, role);
    await recordAudit(tx, courseId, actorId, 'member.role', { userId, from: current.role, to: role });
  });
}

/**
 * Removes someone from a course (a student who dropped it). Their submissions and scores stay for
 * the record; they leave the boards (their summary rows go; adding them back rebuilds them) and the
 * gradebook, and their webhooks on the course stop.
 */
export async function removeMember(database: Database, courseId: string, userId: string, actorId: string) {
  await prismaOf(database).$transaction(async (tx) => {
    const current = await tx.membership.findUnique({ where: { courseId_userId: { courseId, userId } } });
    if (!current) throw new MemberNotFoundError('No such member in this course.');
    await tx.membership.delete({ where: { courseId_userId: { courseId, userId } } });
    await tx.bestScore.deleteMany({ where: { userId, task: { courseId } } });
    await tx.webhook.updateMany({
      where: { courseId, ownerId: userId, disabledAt: null },
      data: { disabledAt: new Date() },
    });
    await recordAudit(tx, courseId, actorId, 'member.remove', { userId, role: current.role });
  });
}
