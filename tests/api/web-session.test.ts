/**
 * What the web app needs from the API: password sign-in with a cookie session, the CSRF header rule,
 * sign-out, API tokens, password change, roster import, staff-only dashboards, board search, and the
 * app itself served from the API's origin.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '@mljudge/api';
import { createProducerConnection, JobQueues, RedisRateLimiter } from '@mljudge/queue';
import { Redis } from 'ioredis';
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { stoppedClock } from '../support/clock.ts';
import { TEST_REDIS_URL } from '../support/environment.ts';
import { seedCourse, seedUser } from '../support/fixtures.ts';
import { testConfig, useTestStack } from '../support/stack.ts';
import { predictions, WEB_TASK_SLUG, webTaskBundle } from '../support/web-task.ts';
import { bearer, submit, waitForResult } from './helpers.ts';

const stack = useTestStack();
const PASSWORD = 'correct horse battery staple';

function sessionCookie(response: { cookies: Array<{ name: string; value: string }> }): string {
  const cookie = response.cookies.find((c) => c.name === 'mljudge_session');
  if (!cookie) throw new Error('no session cookie');
  return `mljudge_session=${cookie.value}`;
}

async function signIn(email: string, password = PASSWORD) {
  return stack.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email, password } });
}

describe('web sessions', () => {
  let course: Awaited<ReturnType<typeof seedCourse>>;
  let ta: Awaited<ReturnType<typeof seedUser>>;
  let admin: Awaited<ReturnType<typeof seedUser>>;
  let student: Awaited<ReturnType<typeof seedUser>>;
  let other: Awaited<ReturnType<typeof seedUser>>;

  beforeAll(async () => {
    course = await seedCourse(stack.database.db);
    ta = await seedUser(stack.database.db, course.id, 'TA');
    admin = await seedUser(stack.database.db, course.id, 'ADMIN');
    student = await seedUser(stack.database.db, course.id, 'STUDENT', 'alice');
    other = await seedUser(stack.database.db, course.id, 'STUDENT', 'bob');
    await stack.database.prisma.user.update({ where: { id: student.user.id }, data: { displayName: 'Alice Wang' } });
    await stack.database.prisma.user.update({ where: { id: other.user.id }, data: { displayName: 'Bob Chen' } });
    const bundle = webTaskBundle(new Date(Date.now() + 3 * 86_400_000));
    const created = await stack.app.inject({
      method: 'POST',
      url: `/v1/courses/${course.slug}/tasks`,
      payload: bundle.payload,
      headers: { ...bundle.headers, ...bearer(ta.token) },
    });
    expect(created.statusCode).toBe(201);
  });

  it('signs in with a password and sets an HttpOnly, SameSite=Strict cookie that authenticates GETs', async () => {
    const response = await signIn(student.user.email.toUpperCase());
    expect(response.statusCode).toBe(201);
    expect(response.json().user).toMatchObject({
      email: student.user.email,
      displayName: 'Alice Wang',
      courses: [{ slug: course.slug, title: course.title, role: 'student' }],
    });
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/mljudge_session=mlj_/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\//);
    const me = await stack.app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: sessionCookie(response) } });
    expect(me.statusCode).toBe(200);
    expect(me.json().email).toBe(student.user.email);
  });

  it('answers a wrong password and an unknown email alike, as problem documents', async () => {
    const wrong = await signIn(student.user.email, 'not the password');
    const unknown = await signIn('nobody@example.edu', 'not the password');
    for (const response of [wrong, unknown]) {
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json()).toMatchObject({ code: 'LOGIN_FAILED', detail: 'The email or the password is wrong.' });
      expect(response.headers['set-cookie']).toBeUndefined();
    }
  });

  it('refuses a cookie-authenticated write without X-Requested-With (CSRF), and accepts it with the header', async () => {
    const cookie = sessionCookie(await signIn(student.user.email));
    const forged = await stack.app.inject({
      method: 'POST',
      url: '/v1/me/tokens',
      payload: { name: 'forged' },
      headers: { cookie },
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().code).toBe('CSRF_HEADER_MISSING');
    const real = await stack.app.inject({
      method: 'POST',
      url: '/v1/me/tokens',
      payload: { name: 'laptop' },
      headers: { cookie, 'x-requested-with': 'mljudge-web' },
    });
    expect(real.statusCode).toBe(201);
    // Bearer requests need no such header: no browser attaches them by itself.
    const token = real.json().token as string;
    const viaToken = await stack.app.inject({
      method: 'POST',
      url: '/v1/me/tokens',
      payload: { name: 'ci' },
      headers: bearer(token),
    });
    expect(viaToken.statusCode).toBe(201);
  });

  it('does not accept an API token as a session cookie, nor a session as a cookie after sign-out', async () => {
    const asCookie = await stack.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { cookie: `mljudge_session=${student.token}` },
    });
    expect(asCookie.statusCode).toBe(401);
    expect(asCookie.json().code).toBe('SESSION_EXPIRED');
    const cookie = sessionCookie(await signIn(student.user.email));
    const out = await stack.app.inject({
      method: 'DELETE',
      url: '/v1/sessions/current',
      headers: { cookie, 'x-requested-with': 'mljudge-web' },
    });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/mljudge_session=;/);
    const after = await stack.app.inject({ method: 'GET', url: '/v1/me', headers: { cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('lists, creates and revokes API tokens; sessions are not listed and secrets are never shown again', async () => {
    const cookie = sessionCookie(await signIn(other.user.email));
    const headers = { cookie, 'x-requested-with': 'mljudge-web' };
    const created = await stack.app.inject({
      method: 'POST',
      url: '/v1/me/tokens',
      payload: { name: 'github-actions', expiresInDays: 30 },
      headers,
    });
    expect(created.statusCode).toBe(201);
    const { token, info } = created.json();
    expect(token).toMatch(/^mlj_/);
    const listed = (await stack.app.inject({ method: 'GET', url: '/v1/me/tokens', headers })).json().tokens;
    expect(listed.map((t: { name: string }) => t.name).sort()).toEqual(['github-actions', 'test']);
    expect(JSON.stringify(listed)).not.toContain(token);
    expect((await stack.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(token) })).statusCode).toBe(200);
    // Someone else's token id is "not found", not revocable.
    const foreign = await stack.app.inject({
      method: 'DELETE',
      url: `/v1/me/tokens/${info.id}`,
      headers: bearer(student.token),
    });
    expect(foreign.statusCode).toBe(404);
    expect((await stack.app.inject({ method: 'DELETE', url: `/v1/me/tokens/${info.id}`, headers })).statusCode).toBe(
      204,
    );
    expect((await stack.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(token) })).statusCode).toBe(401);
  });

  it('changes the password after checking the current one, and signs out the other sessions', async () => {
    const person = await seedUser(stack.database.db, course.id, 'STUDENT');
    const first = sessionCookie(await signIn(person.user.email));
    const second = sessionCookie(await signIn(person.user.email));
    const headers = { cookie: first, 'x-requested-with': 'mljudge-web' };
    const wrong = await stack.app.inject({
      method: 'PUT',
      url: '/v1/me/password',
      payload: { currentPassword: 'nope', newPassword: 'a new long password' },
      headers,
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().code).toBe('PASSWORD_WRONG');
    const short = await stack.app.inject({
      method: 'PUT',
      url: '/v1/me/password',
      payload: { currentPassword: PASSWORD, newPassword: 'short' },
      headers,
    });
    expect(short.statusCode).toBe(422);
    expect(short.json().code).toBe('PASSWORD_WEAK');
    const changed = await stack.app.inject({
      method: 'PUT',
      url: '/v1/me/password',
      payload: { currentPassword: PASSWORD, newPassword: 'a new long password' },
      headers,
    });
    expect(changed.statusCode).toBe(204);
    expect((await stack.app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: first } })).statusCode).toBe(200);
    expect((await stack.app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: second } })).statusCode).toBe(
      401,
    );
    expect((await signIn(person.user.email)).statusCode).toBe(401);
    expect((await signIn(person.user.email, 'a new long password')).statusCode).toBe(201);
  });

  it('imports a roster CSV: new accounts get a one-time password, existing ones keep their name and password', async () => {
    const roster = `email,name,role,password\r\nnew.student@example.edu,"Lin, Yi-Ting",student,\r\n${student.user.email},Alice W.,student,attacker-chosen-pw\r\nnew.ta@example.edu,New TA,ta,\r\n`;
    const response = await stack.app.inject({
      method: 'POST',
      url: `/v1/courses/${course.slug}/members`,
      payload: roster,
      headers: { ...bearer(admin.token), 'content-type': 'text/csv' },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ created: 2, added: 0, updated: 0 });
    const fresh = body.members.find((m: { email: string }) => m.email === 'new.student@example.edu');
    expect(fresh).toMatchObject({
      displayName: 'Lin, Yi-Ting',
      role: 'student',
      change: 'created',
      initialPassword: expect.stringMatching(/^.{10,}$/),
    });
    expect(body.members.find((m: { email: string }) => m.email === student.user.email)).toMatchObject({
      change: 'unchanged',
      displayName: 'Alice Wang',
      initialPassword: null,
      note: expect.stringContaining('name and password were kept'),
    });
    expect((await signIn('new.student@example.edu', fresh.initialPassword)).statusCode).toBe(201);
    expect((await signIn(student.user.email)).statusCode).toBe(201);
    expect((await signIn(student.user.email, 'attacker-chosen-pw')).statusCode).toBe(401);
    const stored = await stack.database.prisma.user.findUniqueOrThrow({ where: { email: 'new.student@example.edu' } });
    expect(stored.passwordHash).toMatch(/^scrypt\$/);
    expect(stored.passwordHash).not.toContain(fresh.initialPassword);
    const members = (
      await stack.app.inject({ method: 'GET', url: `/v1/courses/${course.slug}/members`, headers: bearer(ta.token) })
    ).json().members;
    expect(members.find((m: { email: string }) => m.email === 'new.ta@example.edu')).toMatchObject({
      role: 'ta',
      hasPassword: true,
    });
  });

  it('rejects a malformed roster with the line and column, adding nobody', async () => {
    const before = await stack.database.prisma.membership.count({ where: { courseId: course.id } });
    const cases: Array<[string, number, number | undefined, string]> = [
      ['email,name\nok.one@example.edu,One\nnot-an-email,Two\n', 3, 1, 'an email address'],
      ['email,name,role\nok.two@example.edu,Two,professor\n', 2, 3, 'student, ta or admin'],
      ['email,name\nok.three@example.edu,Three\nok.three@example.edu,Again\n', 3, 1, ''],
      ['mail,name\nx@example.edu,X\n', 1, 1, 'email,name[,role][,password]'],
      ['email,name\nok.four@example.edu\n', 2, undefined, '2 fields: email,name'],
      ['email,name\nok.five@example.edu,"unterminated\n', 2, 2, ''],
    ];
    for (const [roster, line, column, expected] of cases) {
      const response = await stack.app.inject({
        method: 'POST',
        url: `/v1/courses/${course.slug}/members`,
        payload: roster,
        headers: { ...bearer(ta.token), 'content-type': 'text/csv' },
      });
      expect(response.statusCode, roster).toBe(422);
      const problem = response.json();
      expect(problem.code === 'ROSTER_INVALID', JSON.stringify(problem)).toBe(true);
      expect(problem.line, roster).toBe(line);
      if (column !== undefined) expect(problem.column, roster).toBe(column);
      if (expected) expect(problem.expected).toContain(expected);
    }
    const json = await stack.app.inject({
      method: 'POST',
      url: `/v1/courses/${course.slug}/members`,
      payload: {
        members: [
          { email: 'fine@example.edu', name: 'Fine' },
          { email: 'bad', name: 'Bad' },
        ],
      },
      headers: bearer(ta.token),
    });
    expect(json.statusCode).toBe(422);
    expect(json.json()).toMatchObject({ code: 'ROSTER_INVALID', pointer: '/members/1/email' });
    const short = await stack.app.inject({
      method: 'POST',
      url: `/v1/courses/${course.slug}/members`,
      payload: { members: [{ email: 'fine@example.edu', name: 'Fine', password: 'short' }] },
      headers: bearer(ta.token),
    });
    expect(short.json()).toMatchObject({
      status: 422,
      code: 'ROSTER_INVALID',
      pointer: '/members/0/password',
      expected: '10+ characters or empty',
    });
    expect(await stack.database.prisma.membership.count({ where: { courseId: course.id } })).toBe(before);
  });

  it('keeps roster, stats and gradebook from students (403) and admins-only roles from TAs', async () => {
    for (const url of [
      `/v1/courses/${course.slug}/members`,
      `/v1/courses/${course.slug}/gradebook`,
      `/v1/tasks/${WEB_TASK_SLUG}/stats`,
    ]) {
      const response = await stack.app.inject({ method: 'GET', url, headers: bearer(student.token) });
      expect(response.statusCode, url).toBe(403);
    }
    const asStudent = await stack.app.inject({
      method: 'POST',
      url: `/v1/courses/${course.slug}/members`,
      payload: 'email,name\nx@example.edu,X\n',
      headers: { ...bearer(student.token), 'content-type': 'text/csv' },
    });
    expect(asStudent.statusCode).toBe(403);
    const admin = await stack.app.inject({
      method: 'POST',
      url: `/v1/courses/${course.slug}/members`,
      payload: 'email,name,role\nboss@example.edu,Boss,admin\n',
      headers: { ...bearer(ta.token), 'content-type': 'text/csv' },
    });
    expect(admin.statusCode).toBe(403);
  });

  it('gives TAs the score distribution, uploads per hour and a JSON gradebook matching the CSV', async () => {
    const good = await submit(stack.app, student.token, WEB_TASK_SLUG, predictions(8, 6));
    const weak = await submit(stack.app, other.token, WEB_TASK_SLUG, predictions(4, 9));
    const broken = await submit(stack.app, other.token, WEB_TASK_SLUG, 'Id,Category\n0,0\n0,1\n');
    for (const response of [good, weak, broken])
      await waitForResult(stack.app, ta.token, response.json().submission.id);
    const stats = (
      await stack.app.inject({ method: 'GET', url: `/v1/tasks/${WEB_TASK_SLUG}/stats`, headers: bearer(ta.token) })
    ).json();
    expect(stats.metric).toBe('accuracy');
    expect([...stats.public].sort()).toEqual([0.4, 0.8]);
    expect([...stats.private].sort()).toEqual([0.6, 0.9]);
    expect(stats.baselines.public.map((b: { name: string }) => b.name)).toEqual(['simple', 'medium', 'strong', 'boss']);
    expect(stats.statuses).toMatchObject({ SCORED: 2, REJECTED: 1 });
    expect(stats.hourly.reduce((sum: number, h: { submissions: number }) => sum + h.submissions, 0)).toBe(3);
    expect(stats.hourly.reduce((sum: number, h: { rejected: number }) => sum + h.rejected, 0)).toBe(1);
    const gradebook = (
      await stack.app.inject({ method: 'GET', url: `/v1/courses/${course.slug}/gradebook`, headers: bearer(ta.token) })
    ).json();
    const alice = gradebook.students.find((s: { email: string }) => s.email === student.user.email);
    // Alice: public 0.8 passes simple, medium, strong (7.5); private 0.6 passes simple, medium (5).
    expect(alice.tasks[WEB_TASK_SLUG]).toEqual({ publicPoints: 7.5, privatePoints: 5, points: 12.5 });
    const csv = (
      await stack.app.inject({
        method: 'GET',
        url: `/v1/courses/${course.slug}/gradebook.csv`,
        headers: bearer(ta.token),
      })
    ).body;
    const line = csv.split('\r\n').find((row) => row.startsWith(student.user.email))!;
    expect(line.split(',').slice(-4)).toEqual(['7.5', '5', '12.5', '12.5']);
  });

  it('searches the board by name and keeps board ranks; LIKE wildcards are taken literally', async () => {
    const all = (
      await stack.app.inject({
        method: 'GET',
        url: `/v1/tasks/${WEB_TASK_SLUG}/leaderboard`,
        headers: bearer(ta.token),
      })
    ).json();
    expect(all.rows.map((r: { displayName: string }) => r.displayName)).toEqual(['Alice Wang', 'Bob Chen']);
    const bob = (
      await stack.app.inject({
        method: 'GET',
        url: `/v1/tasks/${WEB_TASK_SLUG}/leaderboard?q=CHEN`,
        headers: bearer(ta.token),
      })
    ).json();
    expect(bob).toMatchObject({ total: 1, rows: [{ rank: 2, displayName: 'Bob Chen' }] });
    const wildcard = (
      await stack.app.inject({
        method: 'GET',
        url: `/v1/tasks/${WEB_TASK_SLUG}/leaderboard?q=%25`,
        headers: bearer(ta.token),
      })
    ).json();
    expect(wildcard).toMatchObject({ total: 0, rows: [] });
    // My entry says which baselines it passes, by the same rule as the gradebook.
    const mine = (
      await stack.app.inject({
        method: 'GET',
        url: `/v1/tasks/${WEB_TASK_SLUG}/leaderboard?limit=1`,
        headers: bearer(student.token),
      })
    ).json();
    expect(mine.me).toEqual({ rank: 1, value: 0.8, baselines: ['simple', 'medium', 'strong'] });
    const privateSearch = (
      await stack.app.inject({
        method: 'GET',
        url: `/v1/tasks/${WEB_TASK_SLUG}/leaderboard?split=private&q=alice`,
        headers: bearer(ta.token),
      })
    ).json();
    expect(privateSearch).toMatchObject({ total: 1, rows: [{ rank: 2, displayName: 'Alice Wang' }] });
  });

  it('describes the submission format with an example file', async () => {
    const task = (
      await stack.app.inject({ method: 'GET', url: `/v1/tasks/${WEB_TASK_SLUG}`, headers: bearer(student.token) })
    ).json();
    expect(task).toMatchObject({
      exampleFile: 'Id,Category\n0,0\n1,1\n2,2\n',
      labels: ['0', '1', '2', '3'],
      dailySubmissions: 5,
      selectionLimit: 2,
      late: null,
    });
  });
});

describe('sign-in limits', () => {
  let app: Awaited<ReturnType<typeof buildApp>>;
  let redis: Redis;
  let queues: JobQueues;
  beforeAll(async () => {
    redis = new Redis(TEST_REDIS_URL);
    queues = new JobQueues(createProducerConnection(TEST_REDIS_URL), stack.config.queue.prefix, stack.config.queue);
    const prefix = `${stack.config.queue.prefix}-login`;
    app = await buildApp({
      config: testConfig({ TRUST_PROXY: 'true' }),
      db: stack.database.db,
      storage: stack.storage,
      queues,
      now: stoppedClock(),
      limiters: {
        signInPerAccount: new RedisRateLimiter(redis, `${prefix}-account`, 3),
        signInPerClient: new RedisRateLimiter(redis, `${prefix}-client`, 20),
        signInPerEmail: new RedisRateLimiter(redis, `${prefix}-email`, 50),
      },
    });
  });
  afterAll(async () => {
    await app.close();
    await queues.close();
    redis.disconnect();
  });

  // The client address comes from X-Forwarded-For: this app trusts its (test) proxy.
  const attempt = (email: string, password: string, client = '203.0.113.10') =>
    app.inject({
      method: 'POST',
      url: '/v1/sessions',
      payload: { email, password },
      headers: { 'x-forwarded-for': client },
    });

  it('answers 429 after too many failures for one email from one address, even to the right password', async () => {
    const course = await seedCourse(stack.database.db);
    const person = await seedUser(stack.database.db, course.id, 'STUDENT');
    expect((await attempt(person.user.email, PASSWORD)).statusCode).toBe(201);
    for (let i = 0; i < 3; i++) expect((await attempt(person.user.email, `guess ${i}`)).statusCode).toBe(401);
    const blocked = await attempt(person.user.email, PASSWORD);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().code).toBe('LOGIN_RATE_LIMITED');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // Somebody guessing from elsewhere cannot lock the owner out of their own sign-in.
    expect((await attempt(person.user.email, PASSWORD, '198.51.100.7')).statusCode).toBe(201);
  });

  it('counts parallel guesses atomically: no more than the limit get checked', async () => {
    const course = await seedCourse(stack.database.db);
    const person = await seedUser(stack.database.db, course.id, 'STUDENT');
    const answers = await Promise.all(
      Array.from({ length: 15 }, (_, i) => attempt(person.user.email, `parallel ${i}`, '192.0.2.44')),
    );
    const codes = answers.map((answer) => answer.statusCode);
    expect(codes.filter((code) => code === 401)).toHaveLength(3);
    expect(codes.filter((code) => code === 429)).toHaveLength(12);
  });

  it('limits one address rotating through many emails', async () => {
    const answers = [];
    for (let i = 0; i < 22; i++) answers.push(await attempt(`nobody${i}@example.edu`, 'guess-guess', '192.0.2.99'));
    const codes = answers.map((answer) => answer.statusCode);
    expect(codes.slice(0, 20).every((code) => code === 401)).toBe(true);
    expect(codes.slice(20)).toEqual([429, 429]);
  });
});

describe('the web app on the API origin', () => {
  let app: Awaited<ReturnType<typeof buildApp>>;
  let queues: JobQueues;
  beforeAll(async () => {
    const webDir = mkdtempSync(path.join(tmpdir(), 'mljudge-web-'));
    writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>mljudge</title><div id="root"></div>');
    queues = new JobQueues(createProducerConnection(TEST_REDIS_URL), stack.config.queue.prefix, stack.config.queue);
    const config = testConfig({ WEB_DIR: webDir });
    app = await buildApp({ config, db: stack.database.db, storage: stack.storage, queues, now: () => new Date() });
  });
  afterAll(async () => {
    await app.close();
    await queues.close();
  });

  it('serves index.html for page paths with a strict CSP, and keeps API 404s as problem documents', async () => {
    for (const url of ['/', '/courses/ml2023/tasks/hw1/leaderboard', '/account']) {
      const page = await app.inject({ method: 'GET', url });
      expect(page.statusCode, url).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.body).toContain('<div id="root">');
      expect(page.headers['content-security-policy']).toContain("default-src 'self'");
      expect(page.headers['x-frame-options']).toBe('DENY');
    }
    for (const url of ['/v1/nothing-here', '/v1']) {
      const api = await app.inject({ method: 'GET', url });
      expect(api.statusCode, url).toBe(404);
      expect(api.headers['content-type']).toContain('application/problem+json');
    }
    const asset = await app.inject({ method: 'GET', url: '/assets/missing.js' });
    expect(asset.statusCode).toBe(404);
    const traversal = await app.inject({ method: 'GET', url: '/..%2f..%2fpackage.json' });
    expect(traversal.body).not.toContain('"workspaces"');
  });
});
