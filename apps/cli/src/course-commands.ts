/**
 * The TA's daily work and the site admin's from the terminal, with the same exit codes as every
 * other command: courses, members (roster import, removal, roles, password resets), per-student
 * overrides, and hiding or archiving a task.
 */
import { readFile } from 'node:fs/promises';
import { command } from './command.ts';
import { CONNECTION_OPTIONS, clientFrom, printJson } from './context.ts';
import { EXIT } from './exit-codes.ts';
import type { Output } from './output.ts';
import { table } from './render.ts';

/** Prints the usage when a required argument is missing, instead of sending a request the server refuses. */
function missing(output: Output, usage: string): number {
  output.stderr.write(`${usage}\n`);
  return EXIT.other;
}

export const coursesCommand = command(
  'Usage: mljudge courses [--json]\n\nThe courses you belong to, with your role (site admins: every course).',
  CONNECTION_OPTIONS,
  async ({ values }, output, env) => {
    const { courses } = await (await clientFrom(values, env)).courses();
    if (values.json) printJson(output, courses);
    else if (courses.length === 0) output.stdout.write('no courses\n');
    else
      output.stdout.write(
        table([
          ['COURSE', 'TITLE', 'TIME ZONE', 'ROLE'],
          ...courses.map((c) => [c.slug, c.title, c.timeZone, c.role ?? '-']),
        ]),
      );
    return EXIT.ok;
  },
);

const COURSE_CREATE_USAGE =
  'Usage: mljudge course create SLUG --title TITLE [--time-zone ZONE] [--best-of N]   (site admins)';

export const courseCreateCommand = command(
  COURSE_CREATE_USAGE,
  { ...CONNECTION_OPTIONS, title: { type: 'string' }, 'time-zone': { type: 'string' }, 'best-of': { type: 'string' } },
  async ({ values, positionals }, output, env) => {
    const [slug] = positionals;
    if (!slug || typeof values.title !== 'string') return missing(output, COURSE_CREATE_USAGE);
    const course = await (
      await clientFrom(values, env)
    ).createCourse({
      slug,
      title: values.title,
      timeZone: typeof values['time-zone'] === 'string' ? values['time-zone'] : 'Asia/Taipei',
      ...(typeof values['best-of'] === 'string' ? { gradeBestOf: Number(values['best-of']) } : {}),
    });
    if (values.json) printJson(output, course);
    else output.stdout.write(`created course ${course.slug} (${course.timeZone}); you are its admin\n`);
    return EXIT.ok;
  },
);

const MEMBERS_USAGE = `Usage: mljudge members list --course COURSE
       mljudge members add ROSTER.csv --course COURSE      (columns email,name[,role][,password])
       mljudge members remove EMAIL --course COURSE
       mljudge members role EMAIL student|ta|admin --course COURSE   (course admins)
       mljudge members reset-password EMAIL --course COURSE`;

export const membersCommand = command(
  MEMBERS_USAGE,
  CONNECTION_OPTIONS,
  async ({ values, positionals }, output, env) => {
    const [action, target, role] = positionals;
    const course = values.course;
    if (!action || typeof course !== 'string') return missing(output, MEMBERS_USAGE);
    const client = await clientFrom(values, env);
    switch (action) {
      case 'list': {
        const { members } = await client.members(course);
        if (values.json) printJson(output, members);
        else
          output.stdout.write(
            table([['EMAIL', 'NAME', 'ROLE'], ...members.map((m) => [m.email, m.displayName, m.role])]),
          );
        return EXIT.ok;
      }
      case 'add': {
        if (!target) return missing(output, MEMBERS_USAGE);
        const result = await client.importRoster(course, await readFile(target, 'utf8'));
        if (values.json) printJson(output, result);
        else {
          output.stdout.write(`${result.created} created, ${result.added} added, ${result.updated} changed\n`);
          const shown = result.members.filter((m) => m.initialPassword || m.note);
          if (shown.length > 0)
            output.stdout.write(
              table([
                ['EMAIL', 'PASSWORD (shown once)', 'NOTE'],
                ...shown.map((m) => [m.email, m.initialPassword ?? '', m.note ?? '']),
              ]),
            );
        }
        return EXIT.ok;
      }
      case 'remove':
        if (!target) return missing(output, MEMBERS_USAGE);
        await client.removeMember(course, target);
        if (values.json) printJson(output, { removed: target });
        else output.stdout.write(`removed ${target} from ${course} (their submissions are kept)\n`);
        return EXIT.ok;
      case 'role':
        if (!target || (role !== 'student' && role !== 'ta' && role !== 'admin')) return missing(output, MEMBERS_USAGE);
        await client.setRole(course, target, role);
        if (values.json) printJson(output, { email: target, role });
        else output.stdout.write(`${target} is now ${role} in ${course}\n`);
        return EXIT.ok;
      case 'reset-password': {
        if (!target) return missing(output, MEMBERS_USAGE);
        const reset = await client.resetPassword(course, target);
        if (values.json) printJson(output, reset);
        else output.stdout.write(`new password for ${reset.email} (shown once): ${reset.password}\n`);
        return EXIT.ok;
      }
      default:
        return missing(output, MEMBERS_USAGE);
    }
  },
);

const OVERRIDE_USAGE =
  'Usage: mljudge override TASK EMAIL --reason TEXT [--extra N] [--deadline 2025-06-01T23:59:00+08:00] [--course COURSE]';

export const overrideCommand = command(
  OVERRIDE_USAGE,
  { ...CONNECTION_OPTIONS, reason: { type: 'string' }, extra: { type: 'string' }, deadline: { type: 'string' } },
  async ({ values, positionals }, output, env) => {
    const [task, email] = positionals;
    if (!task || !email || typeof values.reason !== 'string') return missing(output, OVERRIDE_USAGE);
    const deadline = typeof values.deadline === 'string' ? new Date(values.deadline) : undefined;
    if (deadline && Number.isNaN(deadline.getTime())) {
      output.stderr.write(
        'error: --deadline is not a date; write it with its offset, e.g. 2025-06-01T23:59:00+08:00\n',
      );
      return EXIT.other;
    }
    const saved = await (
      await clientFrom(values, env)
    ).override(
      task,
      email,
      {
        reason: values.reason,
        ...(typeof values.extra === 'string' ? { extraDailySubmissions: Number(values.extra) } : {}),
        ...(deadline ? { deadline: deadline.toISOString() } : {}),
      },
      typeof values.course === 'string' ? values.course : undefined,
    );
    if (values.json) printJson(output, saved);
    else
      output.stdout.write(
        `${saved.email} on ${task}: +${saved.extraDailySubmissions} submissions per day, deadline ${saved.deadline ?? 'as the task'}\n`,
      );
    return EXIT.ok;
  },
);

const STATES = { hide: 'hidden', archive: 'archived', show: 'visible' } as const;

export function taskStateCommand(action: keyof typeof STATES) {
  const usage = `Usage: mljudge task ${action} TASK [--course COURSE]`;
  return command(usage, CONNECTION_OPTIONS, async ({ values, positionals }, output, env) => {
    const [task] = positionals;
    if (!task) return missing(output, usage);
    const saved = await (
      await clientFrom(values, env)
    ).setTaskState(task, STATES[action], typeof values.course === 'string' ? values.course : undefined);
    if (values.json) printJson(output, saved);
    else output.stdout.write(`${task} is ${STATES[action]}\n`);
    return EXIT.ok;
  });
}
