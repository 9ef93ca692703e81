/**
 * Running a course over REST: site admins create courses; course admins change roles (a course always
 * keeps an admin); TAs remove students (off the boards and the gradebook, submissions kept, restored
 * when added back) and reset their passwords; TAs hide, archive and show tasks; the gradebook also
 * comes in Canvas's import layout.
 */
import { createApiToken, ensureSiteAdmin } from '@mljudge/db';
import { beforeAll, describe, expect, it } from 'vitest';
import { covidPrediction, covidTask, pushTask, seedTestCourse, type TestCourse } from '../support/course.ts';
import { TEST_PASSWORD } from '../support/fixtures.ts';
import { useTestStack } from '../support/stack.ts';
import { bearer, submit } from './helpers.ts';

const stack = useTestStack();
let course: TestCourse;
let siteAdmin: string;

beforeAll(async () => {
  course = await seedTestCourse(stack, 'admin2025', ['ann', 'ben', 'cat']);
  const admin = await ensureSiteAdmin(stack.database.db, { email: 'root@example.edu', displayName: 'Root' });
  siteAdmin = (await createApiToken(stack.database.db, admin.userId, 'test')).token;
  await pushTask(stack, course, covidTask('admin-task'));
});

const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, token: string, payload?: object) =>
  stack.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

const members = `/v1/courses/admin2025/members`;

describe('courses', () => {
  it('are created by site admins only, who become their admin', async () => {
    const body = { slug: 'dl2025', title: 'Deep Learning 2025', timeZone: 'Europe/Berlin', gradeBestOf: 8 };
    expect((await call('POST', '/v1/courses', course.admin, body)).statusCode).toBe(403);
    const created = await call('POST', '/v1/courses', siteAdmin, body);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ ...body, role: 'admin' });
    const again = await call('POST', '/v1/courses', siteAdmin, body);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('COURSE_EXISTS');
    const badZone = await call('POST', '/v1/courses', siteAdmin, { ...body, slug: 'x2025', timeZone: 'Mars/Olympus' });
    expect(badZone.statusCode).toBe(422);
    expect(badZone.json()).toMatchObject({ code: 'COURSE_INVALID', field: 'timeZone' });

    const mine = await call('GET', '/v1/courses', siteAdmin);
    expect(mine.json().courses.map((c: { slug: string }) => c.slug)).toEqual(['admin2025', 'dl2025']);
    const changed = await call('PATCH', '/v1/courses/dl2025', siteAdmin, { title: 'DL 2025', gradeBestOf: null });
    expect(changed.json()).toMatchObject({ title: 'DL 2025', gradeBestOf: null, timeZone: 'Europe/Berlin' });
    expect((await call('PATCH', '/v1/courses/admin2025', course.ta, { title: 'mine now' })).statusCode).toBe(403);
  });
});

describe('members', () => {
  it('change role by a course admin only, and the last admin stays an admin', async () => {
    const email = 'ben@example.edu';
    expect((await call('PUT', `${members}/${email}/role`, course.ta, { role: 'ta' })).statusCode).toBe(403);
    expect((await call('PUT', `${members}/${email}/role`, course.admin, { role: 'ta' })).statusCode).toBe(204);
    const roster = await call('GET', members, course.ta);
    expect(roster.json().members.find((m: { email: string }) => m.email === email).role).toBe('ta');
    expect((await call('PUT', `${members}/${email}/role`, course.admin, { role: 'student' })).statusCode).toBe(204);
    const last = await call('PUT', `${members}/admin2025-admin@example.edu/role`, course.admin, { role: 'ta' });
    expect(last.statusCode).toBe(409);
    expect(last.json().code).toBe('LAST_ADMIN');
    expect((await call('PUT', `${members}/nobody@example.edu/role`, course.admin, { role: 'ta' })).json().code).toBe(
      'MEMBER_NOT_FOUND',
    );
  });

  it('removed by a TA leave the board and the gradebook, keep their files, and come back when added again', async () => {
    const scored = await submit(stack.app, course.students.cat!, 'admin-task', covidPrediction(0.1, 0.1), {
      query: '?wait=60',
    });
    expect(scored.json().submission.status).toBe('SCORED');
    const boardNames = async () =>
      (await call('GET', '/v1/tasks/admin-task/leaderboard', course.ta))
        .json()
        .rows.map((row: { displayName: string }) => row.displayName);
    expect(await boardNames()).toContain('cat');
    // A TA may not remove staff.
    expect((await call('DELETE', `${members}/admin2025-admin@example.edu`, course.ta)).statusCode).toBe(403);
    expect((await call('DELETE', `${members}/cat@example.edu`, course.ta)).statusCode).toBe(204);
    expect(await boardNames()).not.toContain('cat');
    const gradebook = (await call('GET', '/v1/courses/admin2025/gradebook', course.ta)).json();
    expect(gradebook.students.map((s: { email: string }) => s.email)).not.toContain('cat@example.edu');
    // The student can still read their own submission, but not the course.
    expect((await call('GET', `/v1/submissions/${scored.json().submission.id}`, course.students.cat!)).statusCode).toBe(
      200,
    );
    expect((await call('GET', '/v1/tasks/admin-task', course.students.cat!)).statusCode).toBe(404);
    expect(await stack.database.prisma.submission.count({ where: { user: { email: 'cat@example.edu' } } })).toBe(1);

    const back = await stack.app.inject({
      method: 'POST',
      url: members,
      headers: { ...bearer(course.ta), 'content-type': 'text/csv' },
      payload: 'email,name\ncat@example.edu,cat\n',
    });
    expect(back.statusCode, back.body).toBe(200);
    expect(await boardNames()).toContain('cat');
    const row = (await call('GET', '/v1/tasks/admin-task/leaderboard', course.ta))
      .json()
      .rows.find((r: { displayName: string }) => r.displayName === 'cat');
    expect(row).toMatchObject({ value: scored.json().submission.public.value, submissions: 1 });
  });

  it("get a new password from a TA (students) that signs them out everywhere; a TA's only from an admin", async () => {
    const signIn = (password: string) =>
      stack.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: 'ann@example.edu', password } });
    expect((await signIn(TEST_PASSWORD)).statusCode).toBe(201);
    const reset = await call('POST', `${members}/ann@example.edu/password-reset`, course.ta);
    expect(reset.statusCode, reset.body).toBe(200);
    const { password } = reset.json();
    expect(password).toEqual(expect.any(String));
    expect((await signIn(TEST_PASSWORD)).statusCode).toBe(401);
    expect((await signIn(password)).statusCode).toBe(201);
    // The student's API token ended with the old password.
    expect((await call('GET', '/v1/me', course.students.ann!)).statusCode).toBe(401);
    expect((await call('POST', `${members}/admin2025-ta@example.edu/password-reset`, course.ta)).statusCode).toBe(403);
  });
});

describe('task state', () => {
  it('hidden: students neither see nor submit, and it leaves the gradebook; shown again, it is back', async () => {
    await pushTask(stack, course, covidTask('oops-task'));
    const hidden = await call('PUT', '/v1/tasks/oops-task/state', course.ta, { state: 'hidden' });
    expect(hidden.json().state).toBe('hidden');
    // For a student the hidden task does not exist, even to change it.
    expect(
      (await call('PUT', '/v1/tasks/oops-task/state', course.students.ben!, { state: 'visible' })).statusCode,
    ).toBe(404);
    const list = (await call('GET', '/v1/tasks', course.students.ben!))
      .json()
      .tasks.map((t: { slug: string }) => t.slug);
    expect(list).not.toContain('oops-task');
    expect((await call('GET', '/v1/tasks/oops-task', course.students.ben!)).statusCode).toBe(404);
    expect((await submit(stack.app, course.students.ben!, 'oops-task', covidPrediction(0, 0))).statusCode).toBe(404);
    const columns = (await call('GET', '/v1/courses/admin2025/gradebook', course.ta)).json().tasks;
    expect(columns.map((t: { slug: string }) => t.slug)).not.toContain('oops-task');
    expect((await call('GET', '/v1/tasks/oops-task', course.ta)).json().state).toBe('hidden');

    await call('PUT', '/v1/tasks/oops-task/state', course.ta, { state: 'visible' });
    expect((await call('GET', '/v1/tasks/oops-task', course.students.ben!)).statusCode).toBe(200);
  });

  it('archived: students read it and its board but cannot upload', async () => {
    await pushTask(stack, course, covidTask('done-task'));
    await call('PUT', '/v1/tasks/done-task/state', course.ta, { state: 'archived' });
    const task = await call('GET', '/v1/tasks/done-task', course.students.ben!);
    expect(task.json().state).toBe('archived');
    const upload = await submit(stack.app, course.students.ben!, 'done-task', covidPrediction(0, 0));
    expect(upload.statusCode).toBe(403);
    expect(upload.json().code).toBe('TASK_ARCHIVED');
    expect((await call('GET', '/v1/tasks/done-task/leaderboard', course.students.ben!)).statusCode).toBe(200);
  });
});

describe('the Canvas gradebook', () => {
  it("has Canvas's identity columns, the email as SIS Login ID, and a points column per task", async () => {
    const response = await call('GET', '/v1/courses/admin2025/gradebook.canvas.csv', course.ta);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...rows] = response.body.trim().split('\r\n');
    expect(header!.split(',').slice(0, 5)).toEqual(['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section']);
    expect(header).toContain('COVID-19 cases (mini) (mljudge)');
    expect(header!.endsWith(',mljudge total')).toBe(true);
    const cat = rows.find((row) => row.split(',')[3] === 'cat@example.edu')!;
    expect(cat.split(',')[0]).toBe('cat');
    expect((await call('GET', '/v1/courses/admin2025/gradebook.canvas.csv', course.students.ben!)).statusCode).toBe(
      403,
    );
  });
});
