/**
 * Accounts under attack: a TA's roster import cannot touch accounts beyond adding them to the TA's own
 * course; a password change ends every other credential; wrong current passwords are limited; tokens
 * are capped and show when they were last used; the session cookie is Secure behind a trusted TLS
 * proxy; look-alike emails are refused; password hashing never queues without bound.
 */
import { buildApp } from '@mljudge/api';
import { configurePasswordHashing, createApiToken, upsertUser } from '@mljudge/db';
import { createProducerConnection, JobQueues, RedisRateLimiter } from '@mljudge/queue';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stoppedClock } from '../support/clock.ts';
import { seedTestCourse, type TestCourse } from '../support/course.ts';
import { TEST_REDIS_URL } from '../support/environment.ts';
import { seedCourse, seedUser, TEST_PASSWORD } from '../support/fixtures.ts';
import { testConfig, useTestStack } from '../support/stack.ts';
import { bearer } from './helpers.ts';

const stack = useTestStack({ worker: false });
let course: TestCourse;

beforeAll(async () => {
  course = await seedTestCourse(stack, 'accounts2023');
});

const importRoster = (token: string, members: Array<Record<string, string>>) =>
  stack.app.inject({
    method: 'POST',
    url: `/v1/courses/${course.slug}/members`,
    payload: { members },
    headers: bearer(token),
  });

const signIn = (email: string, password: string) =>
  stack.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email, password } });

describe('a roster import by a TA', () => {
  it('never renames, re-passwords or takes over an account that exists in another course', async () => {
    const other = await seedCourse(stack.database.db, 'elsewhere2023');
    const outsider = await seedUser(stack.database.db, other.id, 'TA', 'outsider-ta');
    // An account without a password (made for API tokens only): the old import set the TA's on it.
    const passwordless = await upsertUser(stack.database.db, 'nopw@other.edu', 'No Password');
    const answer = await importRoster(course.ta, [
      { email: outsider.user.email, name: 'Renamed by another course' },
      { email: passwordless.email, name: 'N', password: 'attacker-chosen-pw' },
    ]);
    expect(answer.statusCode, answer.body).toBe(200);
    const users = await stack.database.prisma.user.findMany({
      where: { email: { in: [outsider.user.email, passwordless.email] } },
    });
    expect(users.find((u) => u.email === outsider.user.email)!.displayName).toBe('outsider-ta');
    expect(users.find((u) => u.email === passwordless.email)!.passwordHash).toBeNull();
    expect((await signIn(passwordless.email, 'attacker-chosen-pw')).statusCode).toBe(401);
    // They are members of this course now (that is what a roster does), with their own names.
    expect(answer.json().members.map((m: { change: string }) => m.change)).toEqual(['added', 'added']);
  });

  it('cannot give or take staff roles; an admin can', async () => {
    const admin = await seedUser(stack.database.db, course.id, 'ADMIN', 'course-admin-2');
    const demote = await importRoster(course.ta, [{ email: admin.user.email, name: 'x', role: 'student' }]);
    expect(demote.statusCode).toBe(403);
    const promote = await importRoster(course.ta, [{ email: 'new-ta@example.edu', name: 'New TA', role: 'ta' }]);
    expect(promote.statusCode).toBe(403);
    const membership = await stack.database.prisma.membership.findFirstOrThrow({
      where: { userId: admin.user.id, courseId: course.id },
    });
    expect(membership.role).toBe('ADMIN');
    expect(
      (await importRoster(course.admin, [{ email: 'new-ta@example.edu', name: 'New TA', role: 'ta' }])).statusCode,
    ).toBe(200);
  });

  it('refuses look-alike emails and names with control or direction characters', async () => {
    for (const [email, name] of [
      ['student1@example.edu\u200b', 'Zero Width'],
      ['ok@example.edu', 'Evil\u202Eeman'],
      ['ok2@example.edu', 'Line\nBreak'],
    ]) {
      const answer = await importRoster(course.ta, [{ email: email!, name: name! }]);
      expect(answer.statusCode, email).toBe(422);
      expect(answer.json().code).toBe('ROSTER_INVALID');
    }
    const nul = await importRoster(course.ta, [{ email: 'nul@example.edu', name: 'a\u0000b' }]);
    expect(nul.statusCode).toBe(422);
  });
});

describe('changing the password', () => {
  it('ends every other session and API token, keeps the one in use, and limits wrong current passwords', async () => {
    const person = await seedUser(stack.database.db, course.id, 'STUDENT', 'changer');
    const second = (await createApiToken(stack.database.db, person.user.id, 'ci')).token;
    const session = await signIn(person.user.email, TEST_PASSWORD);
    expect(session.statusCode).toBe(201);
    const change = (currentPassword: string) =>
      stack.app.inject({
        method: 'PUT',
        url: '/v1/me/password',
        payload: { currentPassword, newPassword: 'a brand new passphrase' },
        headers: bearer(person.token),
      });
    expect((await change(TEST_PASSWORD)).statusCode).toBe(204);
    expect((await stack.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(second) })).statusCode).toBe(401);
    const cookie = session.cookies.find((c) => c.name === 'mljudge_session')!;
    expect(
      (await stack.app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: `mljudge_session=${cookie.value}` } }))
        .statusCode,
    ).toBe(401);
    expect((await stack.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(person.token) })).statusCode).toBe(
      200,
    );
  });

  it('refuses a new password of spaces', async () => {
    const person = await seedUser(stack.database.db, course.id, 'STUDENT', 'spaces');
    const answer = await stack.app.inject({
      method: 'PUT',
      url: '/v1/me/password',
      payload: { currentPassword: TEST_PASSWORD, newPassword: '            ' },
      headers: bearer(person.token),
    });
    expect(answer.statusCode).toBe(422);
    expect(answer.json().code).toBe('PASSWORD_WEAK');
  });
});

describe('API tokens', () => {
  it('show when they were last used, and are capped per account', async () => {
    const person = await seedUser(stack.database.db, course.id, 'STUDENT', 'tokens');
    await stack.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(person.token) });
    const listed = (
      await stack.app.inject({ method: 'GET', url: '/v1/me/tokens', headers: bearer(person.token) })
    ).json();
    expect(listed.tokens[0].lastUsedAt).not.toBeNull();
    const create = () =>
      stack.app.inject({
        method: 'POST',
        url: '/v1/me/tokens',
        payload: { name: 'more' },
        headers: bearer(person.token),
      });
    for (let i = listed.tokens.length; i < 50; i++) expect((await create()).statusCode).toBe(201);
    const over = await create();
    expect(over.statusCode).toBe(409);
    expect(over.json().code).toBe('TOKEN_LIMIT');
  });
});

describe('behind a TLS-terminating proxy', () => {
  let app: Awaited<ReturnType<typeof buildApp>>;
  let queues: JobQueues;
  let redis: Redis;
  beforeAll(async () => {
    redis = new Redis(TEST_REDIS_URL);
    queues = new JobQueues(createProducerConnection(TEST_REDIS_URL), stack.config.queue.prefix, stack.config.queue);
    app = await buildApp({
      config: testConfig({ TRUST_PROXY: '127.0.0.1', SECURE_COOKIES: 'auto' }),
      db: stack.database.db,
      storage: stack.storage,
      queues,
      now: stoppedClock(),
      limiters: { passwordChecks: new RedisRateLimiter(redis, `${stack.config.queue.prefix}-pw`, 3) },
    });
  });
  afterAll(async () => {
    await app.close();
    await queues.close();
    redis.disconnect();
  });

  it('marks the session cookie Secure when the trusted proxy says the request came over HTTPS', async () => {
    const person = await seedUser(stack.database.db, course.id, 'STUDENT', 'proxied');
    const viaTls = await app.inject({
      method: 'POST',
      url: '/v1/sessions',
      payload: { email: person.user.email, password: TEST_PASSWORD },
      headers: { 'x-forwarded-proto': 'https' },
      remoteAddress: '127.0.0.1',
    });
    expect(viaTls.cookies.find((c) => c.name === 'mljudge_session')?.secure).toBe(true);
    const plain = await app.inject({
      method: 'POST',
      url: '/v1/sessions',
      payload: { email: person.user.email, password: TEST_PASSWORD },
    });
    expect(plain.cookies.find((c) => c.name === 'mljudge_session')?.secure).toBeFalsy();
  });

  it('limits wrong current passwords, so a stolen token cannot guess the password', async () => {
    const person = await seedUser(stack.database.db, course.id, 'STUDENT', 'guessed');
    const guess = (currentPassword: string) =>
      app.inject({
        method: 'PUT',
        url: '/v1/me/password',
        payload: { currentPassword, newPassword: 'a brand new passphrase' },
        headers: bearer(person.token),
      });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await guess(`wrong guess ${i}`)).statusCode);
    expect(answers).toEqual([403, 403, 403, 429, 429]);
    expect((await guess(TEST_PASSWORD)).statusCode).toBe(429);
  });
});

describe('password hashing under a flood', () => {
  it('refuses a sign-in with 503 and Retry-After once the hashing queue is full, instead of queueing without end', async () => {
    configurePasswordHashing({ concurrency: 1, maxWaiting: 2 });
    try {
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => signIn(`flood${i}@example.edu`, 'guess-guess-guess')),
      );
      const codes = answers.map((answer) => answer.statusCode);
      expect(codes.filter((code) => code === 401).length).toBeGreaterThanOrEqual(3);
      const busy = answers.filter((answer) => answer.statusCode === 503);
      expect(busy.length).toBeGreaterThan(0);
      expect(busy[0]!.json().code).toBe('SERVICE_BUSY');
      expect(busy[0]!.headers['retry-after']).toBe('2');
    } finally {
      configurePasswordHashing({ concurrency: 1, maxWaiting: 32 });
    }
  });
});
