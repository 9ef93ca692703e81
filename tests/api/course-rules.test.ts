/**
 * Course rules over the API with a controlled clock, real Postgres, Redis and worker: quota across
 * midnight in UTC+8, deadlines, late windows, overrides, final selection and the private board,
 * reveal and rounding, baselines, rescoring, exports, and the integrity report.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleFile, bundleUpload } from '../support/bundles.ts';
import { seedCourse, seedUser } from '../support/fixtures.ts';
import { useTestStack } from '../support/stack.ts';
import { bearer, submit, waitForResult } from './helpers.ts';

const stack = useTestStack();
const COURSE = 'rules2023';
// Deadline 2023-03-17 23:59:59 in Taipei; late window of two days; reveal right after the deadline.
const DEADLINE = '2023-03-17T23:59:59+08:00';
const LATE_UNTIL = '2023-03-19T23:59:59+08:00';
let ta: string;
const students: Record<string, string> = {};

function taskYaml(slug: string, extra: string): string {
  return bundleFile('covid-mini', 'task.yaml').toString().replace('slug: covid-mini', `slug: ${slug}`) + extra;
}

async function createTask(slug: string, extra = '', solution?: string) {
  const upload = bundleUpload('covid-mini', { taskYaml: taskYaml(slug, extra), ...(solution ? { solution } : {}) });
  const response = await stack.app.inject({
    method: 'POST',
    url: `/v1/courses/${COURSE}/tasks`,
    payload: upload.payload,
    headers: { ...upload.headers, ...bearer(ta) },
  });
  expect(response.statusCode, response.body).toBeLessThan(300);
  return response.json();
}

/** A prediction whose public rows are off by `publicError` and private rows by `privateError`. */
function prediction(publicError: number, privateError: number): string {
  const truth = [10.0, 12.5, 8.0, 9.5, 15.0, 11.0, 7.25, 13.0];
  return `id,tested_positive\n${truth.map((value, id) => `${id},${value + (id % 2 === 0 ? publicError : privateError)}`).join('\n')}\n`;
}

async function scored(token: string, slug: string, content: string) {
  const response = await submit(stack.app, token, slug, content);
  expect(response.statusCode, response.body).toBe(202);
  return waitForResult(stack.app, token, response.json().submission.id);
}

const at = (iso: string) => {
  stack.clock.now = new Date(iso);
};

beforeAll(async () => {
  const course = await seedCourse(stack.database.db, COURSE);
  await stack.database.prisma.course.update({ where: { id: course.id }, data: { gradeBestOf: 1 } });
  ta = (await seedUser(stack.database.db, course.id, 'TA', 'rules-ta')).token;
  for (const name of ['ann', 'ben', 'cat', 'dan'])
    students[name] = (await seedUser(stack.database.db, course.id, 'STUDENT', name)).token;
});

describe('daily quota in the course time zone', () => {
  it('resets at midnight UTC+8, not UTC', async () => {
    await createTask('quota-day', `deadline: ${DEADLINE}\n`);
    at('2023-03-10T23:50:00+08:00');
    for (let i = 0; i < 5; i++)
      expect((await submit(stack.app, students.ann!, 'quota-day', prediction(0.1 * i, 0))).statusCode).toBe(202);
    const refused = await submit(stack.app, students.ann!, 'quota-day', prediction(0, 0));
    expect(refused.statusCode).toBe(429);
    expect(refused.json().resetsAt).toBe('2023-03-10T16:00:00.000Z');
    at('2023-03-10T23:59:59.999+08:00');
    expect((await submit(stack.app, students.ann!, 'quota-day', prediction(0, 0))).statusCode).toBe(429);
    at('2023-03-11T00:00:00+08:00');
    expect((await submit(stack.app, students.ann!, 'quota-day', prediction(0, 0))).statusCode).toBe(202);
  });

  it('never lets concurrent uploads exceed the quota', async () => {
    at('2023-03-12T12:00:00+08:00');
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => submit(stack.app, students.ben!, 'quota-day', prediction(0.5, 0.5))),
    );
    expect(responses.filter((r) => r.statusCode === 202)).toHaveLength(5);
    expect(responses.filter((r) => r.statusCode === 429)).toHaveLength(7);
  });

  it('adds a TA override to the limit, and audits it', async () => {
    at('2023-03-12T13:00:00+08:00');
    const saved = await stack.app.inject({
      method: 'PUT',
      url: '/v1/tasks/quota-day/overrides/ben@example.edu',
      payload: { extraDailySubmissions: 2, reason: 'server outage on Mar 12' },
      headers: bearer(ta),
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await submit(stack.app, students.ben!, 'quota-day', prediction(0.5, 0.5))).statusCode).toBe(202);
    expect((await submit(stack.app, students.ben!, 'quota-day', prediction(0.5, 0.5))).statusCode).toBe(202);
    expect((await submit(stack.app, students.ben!, 'quota-day', prediction(0.5, 0.5))).statusCode).toBe(429);
    const audit = await stack.database.prisma.auditEvent.findMany({ where: { action: 'override.saved' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ extraDailySubmissions: 2, reason: 'server outage on Mar 12' });
    const forbidden = await stack.app.inject({
      method: 'PUT',
      url: '/v1/tasks/quota-day/overrides/ben@example.edu',
      payload: { extraDailySubmissions: 9, reason: 'please' },
      headers: bearer(students.ben!),
    });
    expect(forbidden.statusCode).toBe(403);
  });
});

describe('deadline, late window and extensions', () => {
  it('refuses uploads after the deadline unless a TA extended it for that student', async () => {
    await createTask('deadline', `deadline: ${DEADLINE}\n`);
    at('2023-03-17T23:59:59+08:00');
    const closed = await submit(stack.app, students.ann!, 'deadline', prediction(0, 0));
    expect(closed.statusCode).toBe(403);
    expect(closed.json().code).toBe('DEADLINE_PASSED');
    await stack.app.inject({
      method: 'PUT',
      url: '/v1/tasks/deadline/overrides/ann@example.edu',
      payload: { deadline: '2023-03-18T23:59:59+08:00', reason: 'medical leave' },
      headers: bearer(ta),
    });
    expect((await submit(stack.app, students.ann!, 'deadline', prediction(0, 0))).statusCode).toBe(202);
    expect((await submit(stack.app, students.ben!, 'deadline', prediction(0, 0))).statusCode).toBe(403);
  });

  it('scores late work but never ranks it under the unranked policy', async () => {
    await createTask('late-unranked', `deadline: ${DEADLINE}\nlate: { until: ${LATE_UNTIL}, policy: unranked }\n`);
    at('2023-03-18T10:00:00+08:00');
    const result = await scored(students.cat!, 'late-unranked', prediction(0, 0));
    expect(result).toMatchObject({ status: 'SCORED', late: true, public: { value: 0 } });
    const board = await stack.app.inject({
      method: 'GET',
      url: '/v1/tasks/late-unranked/leaderboard',
      headers: bearer(students.cat!),
    });
    expect(board.json().rows).toEqual([]);
    at('2023-03-20T00:00:00+08:00');
    expect((await submit(stack.app, students.cat!, 'late-unranked', prediction(0, 0))).statusCode).toBe(403);
  });
});

describe('final selection, the private board and the reveal', () => {
  let slug: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    slug = 'selection';
    await createTask(slug, `deadline: ${DEADLINE}\npublic_precision: 2\nselection_limit: 2\n`);
    at('2023-03-15T10:00:00+08:00');
    // Dan: three submissions. Best public is A; best private is C.
    ids.a = (await scored(students.dan!, slug, prediction(0.1, 1.5))).id;
    ids.b = (await scored(students.dan!, slug, prediction(0.2, 1.0))).id;
    ids.c = (await scored(students.dan!, slug, prediction(1.0, 0.001))).id;
    // Ann: no selection; her two best public ones (0.3 and 0.4) count, not the 0.001 private of her worst.
    await scored(students.ann!, slug, prediction(0.3, 0.6));
    await scored(students.ann!, slug, prediction(0.4, 0.5));
    await scored(students.ann!, slug, prediction(0.9, 0.001));
  });

  it('limits a student to two selections', async () => {
    for (const id of [ids.a, ids.c]) {
      const response = await stack.app.inject({
        method: 'PUT',
        url: `/v1/submissions/${id}/selection`,
        payload: { selected: true },
        headers: bearer(students.dan!),
      });
      expect(response.statusCode, response.body).toBe(200);
    }
    const third = await stack.app.inject({
      method: 'PUT',
      url: `/v1/submissions/${ids.b}/selection`,
      payload: { selected: true },
      headers: bearer(students.dan!),
    });
    expect(third.statusCode).toBe(409);
    expect(third.json()).toMatchObject({ code: 'SELECTION_LIMIT', limit: 2 });
    const notMine = await stack.app.inject({
      method: 'PUT',
      url: `/v1/submissions/${ids.b}/selection`,
      payload: { selected: true },
      headers: bearer(students.ann!),
    });
    expect(notMine.statusCode).toBe(404);
  });

  it('rounds public scores for students before the reveal but not for TAs', async () => {
    const mine = await stack.app.inject({
      method: 'GET',
      url: `/v1/submissions/${ids.a}`,
      headers: bearer(students.dan!),
    });
    expect(mine.json().private).toBeNull();
    expect(mine.json().public.value).toBe(0.01); // public rows off by 0.1, shown to 2 places
    const board = await stack.app.inject({
      method: 'GET',
      url: `/v1/tasks/${slug}/leaderboard`,
      headers: bearer(students.dan!),
    });
    for (const row of board.json().rows) expect(Number(row.value.toFixed(2))).toBe(row.value);
    const forTa = await stack.app.inject({ method: 'GET', url: `/v1/tasks/${slug}/leaderboard`, headers: bearer(ta) });
    const exact = forTa.json().rows.map((row: { value: number }) => row.value) as number[];
    expect(exact.some((value) => Number(value.toFixed(2)) !== value)).toBe(true); // (10.1 - 10)^2 is not 0.01 in binary
    expect(board.json().baselines.map((line: { name: string }) => line.name)).toEqual([
      'simple',
      'medium',
      'strong',
      'boss',
    ]);
  });

  it('ranks the private board from the selected submissions, or the best public ones when none are selected', async () => {
    at('2023-03-16T10:00:00+08:00');
    const beforeReveal = await stack.app.inject({
      method: 'GET',
      url: `/v1/tasks/${slug}/leaderboard?split=private`,
      headers: bearer(students.dan!),
    });
    expect(beforeReveal.statusCode).toBe(403);
    const board = await stack.app.inject({
      method: 'GET',
      url: `/v1/tasks/${slug}/leaderboard?split=private`,
      headers: bearer(ta),
    });
    expect(board.statusCode).toBe(200);
    const rows = board.json().rows as Array<{ displayName: string; value: number; rank: number }>;
    // Dan selected A and C: his private score is C's (0.001^2). Ann selected none: her best two public
    // are 0.3 and 0.4, whose private scores are 0.36 and 0.25 -> 0.25.
    expect(rows.map((row) => [row.rank, row.displayName])).toEqual([
      [1, 'dan'],
      [2, 'ann'],
    ]);
    expect(rows[0]!.value).toBeCloseTo(0.001 * 0.001, 12);
    expect(rows[1]!.value).toBeCloseTo(0.25, 12);
  });

  it('closes selection at the deadline and reveals private scores to students after it', async () => {
    at('2023-03-18T00:00:00+08:00');
    const late = await stack.app.inject({
      method: 'PUT',
      url: `/v1/submissions/${ids.b}/selection`,
      payload: { selected: false },
      headers: bearer(students.dan!),
    });
    expect(late.statusCode).toBe(403);
    expect(late.json().code).toBe('SELECTION_CLOSED');
    const mine = await stack.app.inject({
      method: 'GET',
      url: `/v1/submissions/${ids.c}`,
      headers: bearer(students.dan!),
    });
    expect(mine.json().private.value).toBeCloseTo(0.000001, 12);
    expect(mine.json().selected).toBe(true);
    expect(
      (
        await stack.app.inject({
          method: 'GET',
          url: `/v1/tasks/${slug}/leaderboard?split=private`,
          headers: bearer(students.dan!),
        })
      ).statusCode,
    ).toBe(200);
  });
});

describe('baselines, gradebook and exports', () => {
  it('shows which baselines each submission passes', async () => {
    await createTask('grades', `deadline: ${DEADLINE}\n`);
    at('2023-03-14T10:00:00+08:00');
    const result = await scored(students.ann!, 'grades', prediction(1.2, 0.9)); // public MSE 1.44, private 0.81
    expect(result.baselines.public).toEqual(['simple']);
  });

  it('exports a gradebook equal to an independent recomputation from the submissions export', async () => {
    at('2023-03-14T11:00:00+08:00');
    await scored(students.ben!, 'grades', prediction(0.95, 1.3));
    await scored(students.ben!, 'grades', prediction(1.05, 0.85));
    await scored(students.cat!, 'grades', prediction(2, 2));
    const gradebook = await stack.app.inject({
      method: 'GET',
      url: `/v1/courses/${COURSE}/gradebook.csv`,
      headers: bearer(ta),
    });
    expect(gradebook.statusCode).toBe(200);
    expect(gradebook.headers['content-type']).toContain('text/csv');
    const lines = gradebook.body
      .trim()
      .split('\r\n')
      .map((line) => line.split(','));
    const header = lines[0]!;
    const byEmail = new Map(
      lines.slice(1).map((cells) => [cells[0]!, Object.fromEntries(header.map((name, i) => [name, cells[i]!]))]),
    );

    // Independent recomputation: thresholds from the fixture's task.yaml, rows from submissions.csv.
    const thresholds = [1.96993, 1.15678, 0.92619, 0.81456];
    const exported = await stack.app.inject({
      method: 'GET',
      url: '/v1/tasks/grades/submissions.csv',
      headers: bearer(ta),
    });
    const rows = exported.body
      .trim()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(','));
    const perStudent = new Map<string, Array<{ pub: number; prv: number; created: string }>>();
    for (const cells of rows) {
      if (cells[3] !== 'SCORED' || cells[5] === 'true') continue;
      const list = perStudent.get(cells[1]!) ?? [];
      list.push({ pub: Number(cells[8]), prv: Number(cells[9]), created: cells[4]! });
      perStudent.set(cells[1]!, list);
    }
    for (const [email, list] of perStudent) {
      const byPublic = [...list].sort((x, y) => x.pub - y.pub || x.created.localeCompare(y.created));
      const bestPublic = byPublic[0]!.pub;
      const bestPrivate = Math.min(...byPublic.slice(0, 2).map((entry) => entry.prv)); // no selections here
      const publicPoints = thresholds.filter((t) => bestPublic <= t).length * 0.5;
      const privatePoints = thresholds.filter((t) => bestPrivate <= t).length * 0.5;
      const row = byEmail.get(email)!;
      expect(Number(row.grades_public), email).toBe(publicPoints);
      expect(Number(row.grades_private), email).toBe(privatePoints);
      expect(Number(row.grades_points), email).toBe(publicPoints + privatePoints);
    }
    // gradeBestOf = 1: the total is the best single task.
    for (const row of byEmail.values()) {
      const taskPoints = header.filter((name) => name.endsWith('_points')).map((name) => Number(row[name]));
      expect(Number(row.total)).toBe(Math.max(...taskPoints));
    }
    expect(gradebook.statusCode).toBe(200);
    const forbidden = await stack.app.inject({
      method: 'GET',
      url: `/v1/courses/${COURSE}/gradebook.csv`,
      headers: bearer(students.ann!),
    });
    expect(forbidden.statusCode).toBe(403);
  });

  it('grades by interval of the score under an HW12-style point_bands scheme', async () => {
    await createTask(
      'bands',
      `deadline: ${DEADLINE}\npoint_bands:\n  - { to: 0.5, points: 4 }\n  - { from: 0.5, to: 1.5, points: 2 }\n  - { from: 1.5, points: 0 }\n`,
    );
    at('2023-03-14T11:30:00+08:00');
    await scored(students.dan!, 'bands', prediction(0.5, 1.1)); // public MSE 0.25 -> 4 points, private 1.21 -> 2 points
    const gradebook = await stack.app.inject({
      method: 'GET',
      url: `/v1/courses/${COURSE}/gradebook.csv`,
      headers: bearer(ta),
    });
    const [header, ...rows] = gradebook.body
      .trim()
      .split('\r\n')
      .map((line) => line.split(','));
    const dan = Object.fromEntries(
      header!.map((name, i) => [name, rows.find((row) => row[0] === 'dan@example.edu')![i]]),
    );
    expect([dan.bands_public, dan.bands_private, dan.bands_points]).toEqual(['4', '2', '6']);
    const overlapping = bundleUpload('covid-mini', {
      taskYaml: taskYaml('bands-bad', 'point_bands:\n  - { to: 1, points: 1 }\n  - { from: 0.5, points: 2 }\n'),
    });
    const refused = await stack.app.inject({
      method: 'POST',
      url: `/v1/courses/${COURSE}/tasks`,
      payload: overlapping.payload,
      headers: { ...overlapping.headers, ...bearer(ta) },
    });
    expect(refused.json()).toMatchObject({ code: 'TASK_YAML_INVALID' });
    expect(refused.json().detail).toContain('bands overlap');
  });

  it('reports students with byte-identical files and identical score pairs', async () => {
    await createTask('integrity', `deadline: ${DEADLINE}\n`);
    at('2023-03-14T12:00:00+08:00');
    await scored(students.ann!, 'integrity', prediction(0.7, 0.7));
    await scored(students.ben!, 'integrity', prediction(0.7, 0.7));
    const reordered = prediction(0.7, 0.7).trim().split('\n');
    await scored(students.cat!, 'integrity', `${[reordered[0], ...reordered.slice(1).reverse()].join('\n')}\n`); // another file, the same predictions
    const report = await stack.app.inject({ method: 'GET', url: '/v1/tasks/integrity/integrity', headers: bearer(ta) });
    const groups = report.json().groups as Array<{ kind: string; students: Array<{ email: string }> }>;
    expect(groups.find((g) => g.kind === 'identical-file')!.students.map((s) => s.email)).toEqual([
      'ann@example.edu',
      'ben@example.edu',
    ]);
    expect(groups.find((g) => g.kind === 'identical-scores')!.students.map((s) => s.email)).toEqual([
      'ann@example.edu',
      'ben@example.edu',
      'cat@example.edu',
    ]);
  });
});

describe('rescoring', () => {
  it('rescores every submission after new hidden labels, keeps the old scores in history and rebuilds the board', async () => {
    await createTask('rescore', `deadline: ${DEADLINE}\n`);
    at('2023-03-13T10:00:00+08:00');
    const first = await scored(students.ann!, 'rescore', prediction(0, 0));
    const second = await scored(students.ben!, 'rescore', prediction(1, 1));
    expect(first.public.value).toBe(0);
    // The TA fixes a wrong label on public row 0 (10.0 -> 11.0): a new version of the hidden data.
    const fixed = bundleFile('covid-mini', 'solution.csv').toString().replace('0,10.0,Public', '0,11.0,Public');
    expect((await createTask('rescore', `deadline: ${DEADLINE}\n`, fixed)).task.version).toBe(2);
    const started = await stack.app.inject({
      method: 'POST',
      url: '/v1/tasks/rescore/rescore',
      payload: { reason: 'label of row 0 was wrong' },
      headers: bearer(ta),
    });
    expect(started.statusCode, started.body).toBe(202);
    expect(started.json()).toMatchObject({ submissions: 2, taskVersion: 2 });
    const after = await waitForResult(stack.app, students.ann!, first.id);
    expect(after.public.value).toBe(0.25); // one of four public rows now off by 1
    expect(after.history).toEqual([
      expect.objectContaining({ split: 'public', value: 0, reason: 'label of row 0 was wrong', taskVersion: 1 }),
    ]);
    await waitForResult(stack.app, students.ben!, second.id);
    const progress = await stack.app.inject({ method: 'GET', url: '/v1/tasks/rescore/rescore', headers: bearer(ta) });
    expect(progress.json()).toMatchObject({ submissions: 2, done: 2, pending: 0 });
    const board = await stack.app.inject({ method: 'GET', url: '/v1/tasks/rescore/leaderboard', headers: bearer(ta) });
    expect(
      board
        .json()
        .rows.map((row: { displayName: string; value: number; submissions: number }) => [
          row.displayName,
          row.value,
          row.submissions,
        ]),
    ).toEqual([
      ['ann', 0.25, 1],
      ['ben', 0.75, 1],
    ]);
    const scoreRows = await stack.database.prisma.score.findMany({ where: { submissionId: first.id } });
    expect(scoreRows.map((row) => row.taskVersion)).toEqual([2, 2]);
  });
});
