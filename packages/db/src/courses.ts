/**
 * Courses and their members. A roster import only ever adds people to its own course: an account that
 * exists already (perhaps in another course) keeps its name and password, and staff roles change only
 * by an admin's hand.
 */
import { prismaOf, type Database, type DbOrTx } from './client.ts';
import type { Role } from './generated/prisma/client.ts';
import { normalizeEmail } from './identity.ts';
import { generatedPassword, hashPassword } from './passwords.ts';
import { recordAudit } from './audit.ts';
import { disableCourseWebhooksOf } from './webhooks.ts';

export interface Course {
  readonly id: string;
  readonly slug: string;
  readonly title: string;
  readonly timeZone: string;
  readonly gradeBestOf: number | null;
}

/** Creates a course, or updates its title and time zone. */
export async function upsertCourse(database: Database, slug: string, title: string, timeZone = 'Asia/Taipei') {
  return prismaOf(database).course.upsert({
    where: { slug },
    create: { slug, title, timeZone },
    update: { title, timeZone },
  });
}

export async function findCourse(database: Database, id: string): Promise<Course | null> {
  return prismaOf(database).course.findUnique({ where: { id } });
}

/** Sets a member's role; a member who stops being staff loses their course-wide webhooks. */
export async function putMembership(db: DbOrTx, courseId: string, userId: string, role: Role) {
  const membership = await db.membership.upsert({
    where: { courseId_userId: { courseId, userId } },
    create: { courseId, userId, role },
    update: { role },
  });
  if (role === 'STUDENT') await disableCourseWebhooksOf(db, courseId, userId);
  return membership;
}

/** Makes `userId` a member of the course with `role` (seeding, the admin command). */
export async function setMembership(database: Database, courseId: string, userId: string, role: Role) {
  return putMembership(prismaOf(database), courseId, userId, role);
}

export interface RosterEntry {
  readonly email: string;
  readonly displayName: string;
  readonly role: Role;
  /** A password for a new account; accounts created without one get a generated one. */
  readonly password?: string | undefined;
}

/** What the import did for one person. */
export type RosterChange = 'created' | 'added' | 'role-changed' | 'unchanged';

export interface RosterOutcome {
  readonly email: string;
  readonly displayName: string;
  readonly role: Role;
  readonly change: RosterChange;
  /** Only for accounts this import created with a generated password: shown once to the TA. */
  readonly initialPassword: string | null;
  /** The roster gave a name or password for an account that exists already: neither was used. */
  readonly keptAccount: boolean;
}

export class RosterPermissionError extends Error {
  override name = 'RosterPermissionError';
}

const isStaffRole = (role: Role) => role === 'TA' || role === 'ADMIN';

/**
 * Adds people to the course in one transaction. New accounts get the given or a generated password;
 * existing accounts are left as they are (name and password), so a roster can never rename or take
 * over someone else's account. Only an admin (`actorIsAdmin`) may grant a staff role or change the
 * role of staff; nothing is written when a row asks for more.
 */
export async function importRoster(
  database: Database,
  input: { courseId: string; actorId: string | null; actorIsAdmin: boolean; entries: readonly RosterEntry[] },
): Promise<RosterOutcome[]> {
  const db = prismaOf(database);
  const emails = input.entries.map((entry) => normalizeEmail(entry.email));
  const existing = new Map(
    (
      await db.user.findMany({ where: { email: { in: emails } }, select: { id: true, email: true, displayName: true } })
    ).map((user) => [user.email, user]),
  );
  // Hash outside the transaction: scrypt takes a while and holds no lock.
  const fresh = await Promise.all(
    input.entries.map(async (entry, index) => {
      if (existing.has(emails[index]!)) return null;
      const generated = entry.password === undefined ? generatedPassword() : null;
      return { generated, hash: await hashPassword(entry.password ?? generated!) };
    }),
  );
  return db.$transaction(
    async (tx) => {
      const members = new Map(
        (
          await tx.membership.findMany({
            where: { courseId: input.courseId, user: { email: { in: emails } } },
            include: { user: true },
          })
        ).map((m) => [m.user.email, m]),
      );
      const outcomes: RosterOutcome[] = [];
      for (const [index, entry] of input.entries.entries()) {
        const email = emails[index]!;
        const current = members.get(email);
        const touchesStaff = isStaffRole(entry.role) || (current !== undefined && isStaffRole(current.role));
        const roleChanges = current === undefined || current.role !== entry.role;
        if (roleChanges && touchesStaff && !input.actorIsAdmin) {
          throw new RosterPermissionError(`Only admins give or change staff roles (${email} on line ${index + 1}).`);
        }
        const account = existing.get(email);
        const user =
          account ??
          (await tx.user.create({ data: { email, displayName: entry.displayName, passwordHash: fresh[index]!.hash } }));
        if (roleChanges) await putMembership(tx, input.courseId, user.id, entry.role);
        // Someone removed earlier and added back gets their place on the boards again.
        if (account && !current)
          await tx.$queryRaw`SELECT mljudge_rebuild_best_scores(${input.courseId}::uuid, ${user.id}::uuid)`;
        const change: RosterChange = !account
          ? 'created'
          : !current
            ? 'added'
            : roleChanges
              ? 'role-changed'
              : 'unchanged';
        outcomes.push({
          email,
          displayName: user.displayName,
          role: entry.role,
          change,
          initialPassword: account ? null : fresh[index]!.generated,
          keptAccount:
            account !== undefined && (entry.password !== undefined || entry.displayName !== account.displayName),
        });
      }
      await recordAudit(tx, input.courseId, input.actorId, 'roster.import', {
        people: outcomes.length,
        created: outcomes.filter((o) => o.change === 'created').length,
        added: outcomes.filter((o) => o.change === 'added').length,
        roleChanged: outcomes.filter((o) => o.change === 'role-changed').length,
      });
      return outcomes;
    },
    { timeout: 60_000 },
  );
}

export interface CourseMember {
  readonly userId: string;
  readonly email: string;
  readonly displayName: string;
  readonly role: Role;
  readonly hasPassword: boolean;
  readonly siteAdmin: boolean;
  readonly joinedAt: Date;
}

/** A course's members with their role, by email. */
export async function courseMembers(database: Database, courseId: string): Promise<CourseMember[]> {
  const rows = await prismaOf(database).membership.findMany({
    where: { courseId },
    include: { user: true },
    orderBy: { user: { email: 'asc' } },
  });
  return rows.map((row) => ({
    userId: row.userId,
    email: row.user.email,
    displayName: row.user.displayName,
    role: row.role,
    hasPassword: row.user.passwordHash !== null,
    siteAdmin: row.user.siteAdmin,
    joinedAt: row.createdAt,
  }));
}

/** A member of the course by email, or null when there is no such account in the course. */
export async function findCourseMember(
  database: Database,
  courseId: string,
  email: string,
): Promise<CourseMember | null> {
  const row = await prismaOf(database).membership.findFirst({
    where: { courseId, user: { email: normalizeEmail(email) } },
    include: { user: true },
  });
  return row
    ? {
        userId: row.userId,
        email: row.user.email,
        displayName: row.user.displayName,
        role: row.role,
        hasPassword: row.user.passwordHash !== null,
        siteAdmin: row.user.siteAdmin,
        joinedAt: row.createdAt,
      }
    : null;
}

/** How many students the course has. */
export async function countStudents(database: Database, courseId: string): Promise<number> {
  return prismaOf(database).membership.count({ where: { courseId, role: 'STUDENT' } });
}
