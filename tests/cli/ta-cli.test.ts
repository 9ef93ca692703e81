/**
 * The TA's daily work with the real `mljudge` binary: members (list, roster import with passwords
 * shown once, role, removal, password reset), an override the student then sees in "limits", hiding a
 * task, the Canvas gradebook; and the student's side: ids by prefix, usage for a missing argument.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { submit } from '../api/helpers.ts';
import { runCli } from '../support/cli.ts';
import { covidPrediction, covidTask, pushTask, seedTestCourse, type TestCourse } from '../support/course.ts';
import { useTestStack } from '../support/stack.ts';

const stack = useTestStack();
const scratch = mkdtempSync(path.join(tmpdir(), 'mljudge-ta-cli-'));
let course: TestCourse;
let url: string;

const as = (token: string, ...args: string[]) =>
  runCli(args, { MLJUDGE_URL: url, MLJUDGE_TOKEN: token, XDG_CONFIG_HOME: path.join(scratch, 'config') });

beforeAll(async () => {
  course = await seedTestCourse(stack, 'tacli2025', ['dan']);
  await pushTask(stack, course, covidTask('cli-task', 'deadline: 2030-01-31T23:59:00+08:00\n'));
  await stack.app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(stack.app.server.address() as net.AddressInfo).port}`;
});

describe('mljudge members', () => {
  it('imports a roster, shows new passwords once, changes a role, removes and resets', async () => {
    const roster = path.join(scratch, 'roster.csv');
    writeFileSync(roster, 'email,name\neve@example.edu,Eve\ndan@example.edu,dan\n');
    const added = await as(course.ta, 'members', 'add', roster, '--course', 'tacli2025');
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('1 created, 0 added, 0 changed');
    expect(added.stdout).toMatch(/eve@example\.edu\s+\S{8,}/);

    const listed = await as(course.ta, 'members', 'list', '--course', 'tacli2025', '--json');
    expect(JSON.parse(listed.stdout).map((m: { email: string }) => m.email)).toContain('eve@example.edu');

    expect((await as(course.ta, 'members', 'role', 'eve@example.edu', 'ta', '--course', 'tacli2025')).code).toBe(4);
    const promoted = await as(course.admin, 'members', 'role', 'eve@example.edu', 'ta', '--course', 'tacli2025');
    expect(promoted.stdout).toContain('eve@example.edu is now ta in tacli2025');
    await as(course.admin, 'members', 'role', 'eve@example.edu', 'student', '--course', 'tacli2025');

    const reset = await as(course.ta, 'members', 'reset-password', 'eve@example.edu', '--course', 'tacli2025');
    expect(reset.stdout).toMatch(/new password for eve@example\.edu \(shown once\): \S{8,}/);
    const removed = await as(course.ta, 'members', 'remove', 'eve@example.edu', '--course', 'tacli2025');
    expect(removed.stdout).toContain('removed eve@example.edu from tacli2025 (their submissions are kept)');
    const missing = await as(course.ta, 'members', 'remove', 'eve@example.edu', '--course', 'tacli2025');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('MEMBER_NOT_FOUND');
  });

  it('prints the usage, not a server error, when an argument is missing', async () => {
    const result = await as(course.ta, 'members', 'remove', '--course', 'tacli2025');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Usage: mljudge members list --course COURSE');
    for (const args of [['status'], ['limits'], ['submissions'], ['override', 'cli-task']]) {
      const answer = await as(course.students.dan!, ...args);
      expect(answer.code).toBe(1);
      expect(answer.stderr).toMatch(/^Usage: mljudge/);
    }
  });
});

describe('an override', () => {
  it('shows in the student\'s "limits" as extended by a TA, in course time', async () => {
    const before = await as(course.students.dan!, 'limits', 'cli-task');
    expect(before.stdout).toMatch(/deadline: Thu 31 Jan 23:59 GMT\+8, in \d+ d \d+ h\n/);
    const saved = await as(
      course.ta,
      'override',
      'cli-task',
      'dan@example.edu',
      '--extra',
      '2',
      '--deadline',
      '2030-02-03T12:00:00+08:00',
      '--reason',
      'medical certificate',
    );
    expect(saved.code, saved.stderr).toBe(0);
    const after = await as(course.students.dan!, 'limits', 'cli-task');
    expect(after.stdout).toContain('7 of 7 submissions left today (extended by a TA)');
    expect(after.stdout).toMatch(
      /deadline: Sun 3 Feb 12:00 GMT\+8, in \d+ d \d+ h \(extended by a TA; the class's is Thu 31 Jan 23:59 GMT\+8/,
    );
  });
});

describe('a student', () => {
  it('names a submission by the start of its id', async () => {
    const scored = await submit(stack.app, course.students.dan!, 'cli-task', covidPrediction(0, 0), {
      query: '?wait=60',
    });
    const id: string = scored.json().submission.id;
    const status = await as(course.students.dan!, 'status', id.slice(0, 8));
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`${id}  cli-task  SCORED`);
    const tooShort = await as(course.students.dan!, 'status', 'abc');
    expect(tooShort.stderr).toContain('at least 6 hex characters');
  });
});

describe('mljudge task hide', () => {
  it('hides a task from students and shows it again', async () => {
    expect((await as(course.ta, 'task', 'hide', 'cli-task')).stdout).toContain('cli-task is hidden');
    expect((await as(course.students.dan!, 'limits', 'cli-task')).stderr).toContain('NOT_FOUND');
    expect((await as(course.ta, 'task', 'show', 'cli-task')).stdout).toContain('cli-task is visible');
    expect((await as(course.students.dan!, 'limits', 'cli-task')).code).toBe(0);
  });
});

describe('mljudge grades export --canvas', () => {
  it('writes the Canvas import layout', async () => {
    const target = path.join(scratch, 'canvas.csv');
    const result = await as(course.ta, 'grades', 'export', '--course', 'tacli2025', '--canvas', '-o', target);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(target, 'utf8').split('\r\n')[0]).toMatch(/^Student,ID,SIS User ID,SIS Login ID,Section,/);
  });
});
