/**
 * The OpenAPI document is complete enough to check real answers against it: responses recorded from
 * the running app are validated with Ajv against the document's own response schemas. Also: per-user
 * rate limits with RateLimit headers, counted in the real Redis.
 */
import { buildApp } from '@mljudge/api';
import { createApiToken } from '@mljudge/db';
import { createProducerConnection, JobQueues, RedisRateLimiter } from '@mljudge/queue';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleUpload } from '../support/bundles.ts';
import { stoppedClock } from '../support/clock.ts';
import { TEST_REDIS_URL } from '../support/environment.ts';
import { seedCourse, seedUser } from '../support/fixtures.ts';
import { useTestStack } from '../support/stack.ts';
import { bearer, submit, waitForResult } from './helpers.ts';

const stack = useTestStack();
let ta: string;
let student: string;
let studentId: string;

beforeAll(async () => {
  const course = await seedCourse(stack.database.db, 'oas2023');
  ta = (await seedUser(stack.database.db, course.id, 'TA')).token;
  const seeded = await seedUser(stack.database.db, course.id, 'STUDENT', 'oas-student');
  student = seeded.token;
  studentId = seeded.user.id;
  const upload = bundleUpload('covid-mini');
  await stack.app.inject({
    method: 'POST',
    url: '/v1/courses/oas2023/tasks',
    payload: upload.payload,
    headers: { ...upload.headers, ...bearer(ta) },
  });
});

describe('responses match the published OpenAPI document', () => {
  it('validates answers of every kind of route against their documented schemas', async () => {
    const document = (await stack.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema(document, 'openapi.json');
    const validate = (route: string, method: string, status: number, body: unknown) => {
      const responses = document.paths[route][method].responses;
      expect(responses[String(status)], `${method} ${route} documents ${status}`).toBeDefined();
      const pointer = `openapi.json#/paths/${route.replaceAll('~', '~0').replaceAll('/', '~1')}/${method}/responses/${status}/content/application~1json/schema`;
      const check = ajv.getSchema(pointer) ?? ajv.compile({ $ref: pointer });
      const valid = check(body);
      expect(valid, `${method} ${route} ${status}: ${ajv.errorsText(check.errors)}`).toBe(true);
    };

    const created = await submit(
      stack.app,
      student,
      'covid-mini',
      'id,tested_positive\n0,10.5\n1,12.5\n2,8\n3,9.5\n4,14\n5,11\n6,7.25\n7,13\n',
    );
    validate('/v1/tasks/{slug}/submissions', 'post', 202, created.json());
    const finished = await waitForResult(stack.app, student, created.json().submission.id);
    validate('/v1/submissions/{id}', 'get', 200, finished);
    const rejected = await submit(stack.app, student, 'covid-mini', 'id,tested_positive\n0,1\n0,1\n');
    validate(
      '/v1/submissions/{id}',
      'get',
      200,
      await waitForResult(stack.app, student, rejected.json().submission.id),
    );
    // Reads as a student, and the TA's (the dashboard's) as the TA.
    for (const [route, url, token] of [
      ['/v1/tasks', '/v1/tasks', student],
      ['/v1/tasks/{slug}', '/v1/tasks/covid-mini', student],
      ['/v1/tasks/{slug}/leaderboard', '/v1/tasks/covid-mini/leaderboard', student],
      ['/v1/tasks/{slug}/submissions', '/v1/tasks/covid-mini/submissions', student],
      ['/v1/me', '/v1/me', student],
      ['/v1/tasks/{slug}/stats', '/v1/tasks/covid-mini/stats', ta],
      ['/v1/courses/{course}/gradebook', '/v1/courses/oas2023/gradebook', ta],
      ['/v1/courses/{course}/members', '/v1/courses/oas2023/members', ta],
      ['/v1/me/tokens', '/v1/me/tokens', ta],
      ['/v1/tasks/{slug}/leaderboard', '/v1/tasks/covid-mini/leaderboard?q=oas', ta],
    ] as const) {
      const response = await stack.app.inject({ method: 'GET', url, headers: bearer(token) });
      validate(route, 'get', response.statusCode, response.json());
    }
    const signIn = await stack.app.inject({
      method: 'POST',
      url: '/v1/sessions',
      payload: { email: 'oas-student@example.edu', password: 'correct horse battery staple' },
    });
    validate('/v1/sessions', 'post', signIn.statusCode, signIn.json());
    const token = await stack.app.inject({
      method: 'POST',
      url: '/v1/me/tokens',
      payload: { name: 'oas' },
      headers: bearer(student),
    });
    validate('/v1/me/tokens', 'post', token.statusCode, token.json());
    const roster = await stack.app.inject({
      method: 'POST',
      url: '/v1/courses/oas2023/members',
      payload: 'email,name\noas-new@example.edu,New\n',
      headers: { ...bearer(ta), 'content-type': 'text/csv' },
    });
    validate('/v1/courses/{course}/members', 'post', roster.statusCode, roster.json());
    const problem = await stack.app.inject({ method: 'GET', url: '/v1/tasks/nope', headers: bearer(student) });
    expect(problem.statusCode).toBe(404);
    const problemSchema = ajv.compile({ $ref: 'openapi.json#/components/schemas/Problem' });
    expect(problemSchema(problem.json()), ajv.errorsText(problemSchema.errors)).toBe(true);
  });
});

describe('per-user rate limits', () => {
  it('answers 429 with RateLimit headers once a user exceeds their requests per minute, whichever token they use', async () => {
    const redis = createProducerConnection(TEST_REDIS_URL);
    const queues = new JobQueues(redis, stack.config.queue.prefix, stack.config.queue);
    const app = await buildApp({
      config: stack.config,
      db: stack.database.db,
      storage: stack.storage,
      queues,
      now: stoppedClock(),
      limiters: { requests: new RedisRateLimiter(redis, `${stack.config.queue.prefix}-rl`, 5) },
    });
    const secondToken = (await createApiToken(stack.database.db, studentId, 'second')).token;
    try {
      const answers = [];
      // Alternating two tokens of the same user: one budget.
      for (let i = 0; i < 7; i++)
        answers.push(
          await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(i % 2 === 0 ? student : secondToken) }),
        );
      expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200, 200, 200, 429, 429]);
      expect(answers[0]!.headers['ratelimit-limit']).toBe('5');
      expect(answers[0]!.headers['ratelimit-remaining']).toBe('4');
      expect(answers[0]!.headers['ratelimit-policy']).toBe('5;w=60');
      expect(answers[5]!.json()).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
      expect(Number(answers[5]!.headers['retry-after'])).toBeGreaterThan(0);
      // Another user has their own budget.
      expect((await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(ta) })).statusCode).toBe(200);
    } finally {
      await app.close();
      await queues.close();
      redis.disconnect();
    }
  });
});
