/**
 * What the admin command can do, one function per subcommand. Each takes parsed options and the
 * database, and returns the lines to print: the command is used at a terminal on a fresh deployment,
 * so every answer says what happened and what to do next.
 */
import {
  CourseExistsError,
  createApiToken,
  createCourse,
  ensureSiteAdmin,
  findUserByEmail,
  importRoster,
  listCourses,
  resetPassword,
  type Database,
} from '@mljudge/db';
import { isTimeZone } from '@mljudge/grading';

export class UsageError extends Error {
  override name = 'UsageError';
}

export type Options = Readonly<Record<string, string | undefined>>;

function required(options: Options, name: string): string {
  const value = options[name];
  if (value === undefined || value.trim() === '') throw new UsageError(`--${name} is required.`);
  return value.trim();
}

async function courseId(db: Database, slug: string): Promise<string> {
  const course = (await listCourses(db)).find((c) => c.slug === slug);
  if (!course) throw new UsageError(`There is no course "${slug}"; create it with create-course.`);
  return course.id;
}

async function userId(db: Database, email: string): Promise<string> {
  const user = await findUserByEmail(db, email);
  if (!user) throw new UsageError(`There is no account with the email ${email}.`);
  return user.id;
}

const passwordLine = (password: string | null) =>
  password === null ? [] : [`password: ${password}   (shown once: hand it over, then ask them to change it)`];

export const COMMANDS = {
  'create-admin': {
    usage: 'create-admin --email EMAIL --name NAME [--password PASSWORD]',
    summary: 'create the first site admin (or make an existing account one)',
    async run(db: Database, options: Options): Promise<string[]> {
      const email = required(options, 'email');
      const admin = await ensureSiteAdmin(db, {
        email,
        displayName: options.name?.trim() || email,
        ...(options.password !== undefined ? { password: options.password } : {}),
      });
      return [
        admin.created
          ? `created site admin ${admin.email}`
          : `${admin.email} had an account; it is a site admin now (its password is unchanged)`,
        ...passwordLine(admin.initialPassword),
        'next: create-course, then sign in on the web page or make a token with create-token',
      ];
    },
  },
  'create-course': {
    usage: 'create-course --slug SLUG --title TITLE [--time-zone ZONE] [--best-of N] [--admin EMAIL]',
    summary: 'create a course (time zone default Asia/Taipei); --admin makes that account its admin',
    async run(db: Database, options: Options): Promise<string[]> {
      const slug = required(options, 'slug');
      if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(slug))
        throw new UsageError('--slug takes lower-case letters, digits and dashes, e.g. ml2025.');
      const timeZone = options['time-zone']?.trim() || 'Asia/Taipei';
      if (!isTimeZone(timeZone)) throw new UsageError(`"${timeZone}" is not an IANA time zone (e.g. Asia/Taipei).`);
      const bestOf = options['best-of'] === undefined ? null : Number(options['best-of']);
      if (bestOf !== null && (!Number.isInteger(bestOf) || bestOf < 1))
        throw new UsageError('--best-of takes a whole number of tasks, e.g. 10.');
      try {
        await createCourse(db, { slug, title: required(options, 'title'), timeZone, gradeBestOf: bestOf }, null);
      } catch (error) {
        if (error instanceof CourseExistsError) throw new UsageError(error.message);
        throw error;
      }
      const lines = [`created course ${slug} (${timeZone}${bestOf ? `, best ${bestOf} tasks count` : ''})`];
      if (options.admin) lines.push(...(await addStaff(db, { course: slug, email: options.admin, role: 'admin' })));
      return lines;
    },
  },
  'add-staff': {
    usage: 'add-staff --course SLUG --email EMAIL [--name NAME] [--role ta|admin]',
    summary: 'add a TA or a course admin, creating the account if needed',
    run: addStaff,
  },
  'reset-password': {
    usage: 'reset-password --email EMAIL',
    summary: 'give an account a new password and sign it out everywhere',
    async run(db: Database, options: Options): Promise<string[]> {
      const email = required(options, 'email');
      const password = await resetPassword(db, await userId(db, email), {
        courseId: null,
        actorId: null,
        now: new Date(),
      });
      return [`reset the password of ${email}; its sessions and tokens have ended`, ...passwordLine(password)];
    },
  },
  'create-token': {
    usage: 'create-token --email EMAIL [--name NAME] [--days N]',
    summary: 'make an API token for an account (for the mljudge CLI or a CI pipeline)',
    async run(db: Database, options: Options): Promise<string[]> {
      const email = required(options, 'email');
      const days = options.days === undefined ? null : Number(options.days);
      if (days !== null && (!Number.isInteger(days) || days < 1))
        throw new UsageError('--days takes a whole number of days.');
      const { token } = await createApiToken(db, await userId(db, email), options.name?.trim() || 'admin command', {
        ...(days ? { expiresAt: new Date(Date.now() + days * 86_400_000) } : {}),
      });
      return [`token for ${email} (shown once): ${token}`, 'use it as: export MLJUDGE_TOKEN=<token>'];
    },
  },
  'list-courses': {
    usage: 'list-courses',
    summary: 'the courses of this site',
    async run(db: Database): Promise<string[]> {
      const courses = await listCourses(db);
      if (courses.length === 0) return ['no courses yet; create one with create-course'];
      return courses.map((c) => `${c.slug}\t${c.title}\t${c.timeZone}`);
    },
  },
} as const;

export type CommandName = keyof typeof COMMANDS;

async function addStaff(db: Database, options: Options): Promise<string[]> {
  const email = required(options, 'email');
  const role = (options.role ?? 'ta').toLowerCase();
  if (role !== 'ta' && role !== 'admin') throw new UsageError('--role is ta or admin.');
  const course = required(options, 'course');
  const id = await courseId(db, course);
  // The command is the site's operator: it may grant any role (audited with no actor).
  const [outcome] = await importRoster(db, {
    courseId: id,
    actorId: null,
    actorIsAdmin: true,
    entries: [{ email, displayName: options.name?.trim() || email, role: role === 'ta' ? 'TA' : 'ADMIN' }],
  });
  return [
    `${outcome!.email} is ${role === 'ta' ? 'a TA' : 'an admin'} of ${course} (${outcome!.change})`,
    ...passwordLine(outcome!.initialPassword),
  ];
}
