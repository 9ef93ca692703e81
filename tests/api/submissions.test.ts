/**
 * POST /v1/tasks/:slug/submissions through a real worker, Postgres and Redis: the happy path, every
 * bad-input class (exact code, line, column; no quota and no score recorded), limits and access rules.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { bundleUpload } from '../support/bundles.ts';
import { seedCourse, seedUser } from '../support/fixtures.ts';
import { useTestStack } from '../support/stack.ts';
import { bearer, submit, waitForResult } from './helpers.ts';

const stack = useTestStack();
let ta: string;
let alice: string;
let bob: string;
let aliceId: string;

beforeAll(async () => {
  const course = await seedCourse(stack.database.db, 'ml2023');
  ta = (await seedUser(stack.database.db, course.id, 'TA', 'ta')).token;
  const a = await seedUser(stack.database.db, course.id, 'STUDENT', 'alice');
  alice = a.token;
  aliceId = a.user.id;
  bob = (await seedUser(stack.database.db, course.id, 'STUDENT', 'bob')).token;
  const upload = bundleUpload('covid-mini');
  const created = await stack.app.inject({
    method: 'POST',
    url: '/v1/courses/ml2023/tasks',
    payload: upload.payload,
    headers: { ...upload.headers, ...bearer(ta) },
  });
  expect(created.statusCode).toBe(201);
  const phoneme = bundleUpload('phoneme-mini');
  expect(
    (
      await stack.app.inject({
        method: 'POST',
        url: '/v1/courses/ml2023/tasks',
        payload: phoneme.payload,
        headers: { ...phoneme.headers, ...bearer(ta) },
      })
    ).statusCode,
  ).toBe(201);
});

const GOOD = 'id,tested_positive\n0,10.5\n1,12.5\n2,8\n3,9.5\n4,14\n5,11\n6,7.25\n7,13\n';

async function quotaUsed(): Promise<number> {
  const response = await stack.app.inject({ method: 'GET', url: '/v1/tasks/covid-mini', headers: bearer(alice) });
  return response.json().quota.used;
}

async function scoreRowsOf(id: string) {
  return stack.database.prisma.score.count({ where: { submissionId: id } });
}

describe('POST /v1/tasks/:slug/submissions', () => {
  it('stores, queues and scores a CSV; the student sees the public score, not the private one', async () => {
    const response = await submit(stack.app, alice, 'covid-mini', GOOD, { message: 'first try' });
    expect(response.statusCode).toBe(202);
    const created = response.json();
    // The body shows the live status: a fast worker may have claimed it already.
    expect(['QUEUED', 'RUNNING', 'SCORED']).toContain(created.submission.status);
    expect(created.submission.message).toBe('first try');
    expect(created.quota).toMatchObject({ limit: 5, used: 1, remaining: 4 });
    expect(response.headers['x-quota-remaining']).toBe('4');
    const result = await waitForResult(stack.app, alice, created.submission.id);
    expect(result.status).toBe('SCORED');
    // public rows 0,2,4,6: errors 0.5, 0, -1, 0 -> MSE 1.25 / 4 = 0.3125
    expect(result.public).toEqual({ value: 0.3125, metrics: { mse: 0.3125, rmse: Math.sqrt(0.3125) } });
    expect(result.private).toBeNull();
    const forTa = await stack.app.inject({
      method: 'GET',
      url: `/v1/submissions/${created.submission.id}`,
      headers: bearer(ta),
    });
    expect(forTa.json().private).toEqual({ value: 0, metrics: { mse: 0, rmse: 0 } });
  });

  it('answers with the final result when ?wait= covers the scoring time', async () => {
    const response = await submit(stack.app, bob, 'phoneme-mini', 'Id,Class\n0,3\n1,40\n2,3\n3,1\n4,0\n5,22\n', {
      query: '?wait=20',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().submission).toMatchObject({ status: 'SCORED', public: { value: 2 / 3 } });
  });

  it.each([
    ['an empty file', 'FILE_EMPTY', undefined, undefined, ''],
    [
      'a binary file (a PNG: its NUL byte is on line 3)',
      'FILE_BINARY',
      3,
      1,
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
    ],
    ['a wrong header', 'CSV_HEADER', 1, 2, 'Id,Predicted\n0,1\n'],
    ['a ragged row', 'CSV_FIELD_COUNT', 3, undefined, 'id,tested_positive\n0,1\n1,2,3\n'],
    ['a duplicate id', 'CSV_DUPLICATE_ID', 4, 1, 'id,tested_positive\n0,1\n1,2\n0,3\n'],
    ['an unknown id', 'CSV_UNKNOWN_ID', 3, 1, 'id,tested_positive\n0,1\n99,2\n'],
    ['missing ids', 'CSV_MISSING_IDS', undefined, undefined, 'id,tested_positive\n0,1\n1,2\n'],
    ['a value that is not a number', 'CSV_INVALID_NUMBER', 4, 2, GOOD.replace('2,8\n', '2,eight\n')],
    ['NaN', 'CSV_NON_FINITE', 4, 2, GOOD.replace('2,8\n', '2,NaN\n')],
    ['an unterminated quote', 'CSV_UNTERMINATED_QUOTE', 4, 2, GOOD.replace('2,8\n', '2,"8\n')],
    ['Latin-1 text', 'FILE_ENCODING', 2, undefined, Buffer.from('id,tested_positive\n0,1\xe9\n', 'latin1')],
  ])(
    'rejects %s with %s (line %s, column %s), records no score and charges no quota',
    async (_what, code, line, column, content) => {
      const before = await quotaUsed();
      const response = await submit(stack.app, alice, 'covid-mini', content);
      expect(response.statusCode).toBe(202);
      const result = await waitForResult(stack.app, alice, response.json().submission.id);
      expect(result.status).toBe('REJECTED');
      expect(result.error).toMatchObject({ code, status: 422 });
      expect(result.error.line).toBe(line);
      expect(result.error.column).toBe(column);
      expect(result.error.detail.length).toBeGreaterThan(10);
      expect(result.public).toBeNull();
      expect(await scoreRowsOf(result.id)).toBe(0);
      expect(await quotaUsed()).toBe(before);
    },
  );

  it('accepts CRLF, a BOM, quoted fields and any row order', async () => {
    const content =
      '\uFEFF"id","tested_positive"\r\n7,13\r\n6,7.25\r\n5,11\r\n4,14\r\n3,9.5\r\n2,8\r\n1,12.5\r\n0,"10.5"\r\n';
    const result = await waitForResult(
      stack.app,
      bob,
      (await submit(stack.app, bob, 'covid-mini', content)).json().submission.id,
    );
    expect(result).toMatchObject({ status: 'SCORED', public: { value: 0.3125 } });
  });

  it('refuses a file over the task limit with 413, storing nothing and charging nothing', async () => {
    const before = await quotaUsed();
    const response = await submit(stack.app, alice, 'covid-mini', 'x'.repeat(1024 * 1024 + 10));
    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'UPLOAD_TOO_LARGE', status: 413 });
    expect(await quotaUsed()).toBe(before);
    expect(await stack.database.prisma.submission.count({ where: { artifactBytes: { gt: 1024 * 1024 } } })).toBe(0);
  });

  it('returns the same submission for a retried Idempotency-Key and charges once', async () => {
    const before = await quotaUsed();
    const first = await submit(stack.app, alice, 'covid-mini', GOOD, { headers: { 'idempotency-key': 'ci-build-17' } });
    const retry = await submit(stack.app, alice, 'covid-mini', GOOD, { headers: { 'idempotency-key': 'ci-build-17' } });
    expect(first.statusCode).toBe(202);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().submission.id).toBe(first.json().submission.id);
    expect(await quotaUsed()).toBe(before + 1);
    // The same key with another file is not a retry.
    const other = await submit(stack.app, alice, 'covid-mini', GOOD.replace('\n', '\r\n'), {
      headers: { 'idempotency-key': 'ci-build-17' },
    });
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', submissionId: first.json().submission.id });
    expect(await quotaUsed()).toBe(before + 1);
  });

  it('answers 429 with the reset time once the daily quota is used', async () => {
    let used = await quotaUsed();
    while (used < 5) {
      const response = await submit(stack.app, alice, 'covid-mini', GOOD);
      expect(response.statusCode).toBe(202);
      used++;
    }
    const refused = await submit(stack.app, alice, 'covid-mini', GOOD);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'QUOTA_EXCEEDED', limit: 5, remaining: 0 });
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused.headers['x-quota-reset']).toBe(refused.json().resetsAt);
  });

  it('requires a valid token and answers problem+json', async () => {
    const missing = await stack.app.inject({ method: 'GET', url: '/v1/tasks' });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.json()).toMatchObject({
      code: 'UNAUTHENTICATED',
      status: 401,
      type: expect.any(String),
      title: 'Unauthorized',
    });
    const wrong = await stack.app.inject({ method: 'GET', url: '/v1/tasks', headers: bearer('mlj_not-a-token') });
    expect(wrong.json().code).toBe('TOKEN_INVALID');
  });

  it("hides another student's submission (404, not 403)", async () => {
    const mine = await submit(stack.app, bob, 'phoneme-mini', 'Id,Class\n0,1\n1,1\n2,1\n3,1\n4,1\n5,1\n');
    const peek = await stack.app.inject({
      method: 'GET',
      url: `/v1/submissions/${mine.json().submission.id}`,
      headers: bearer(alice),
    });
    expect(peek.statusCode).toBe(404);
    expect(peek.json().code).toBe('NOT_FOUND');
  });

  it('refuses a raw CSV body (not multipart) with 415 and a stable code', async () => {
    const response = await stack.app.inject({
      method: 'POST',
      url: '/v1/tasks/covid-mini/submissions',
      payload: 'id,x',
      headers: { 'content-type': 'text/csv', ...bearer(bob) },
    });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 });
  });

  it('refuses a form without a field named file', async () => {
    const body = (await import('../support/multipart.ts')).multipart([
      { field: 'upload', filename: 'p.csv', content: GOOD },
    ]);
    const response = await stack.app.inject({
      method: 'POST',
      url: '/v1/tasks/covid-mini/submissions',
      payload: body.payload,
      headers: { ...body.headers, ...bearer(bob) },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('FILE_MISSING');
  });
});

describe('GET /v1/tasks/:slug/leaderboard', () => {
  it("ranks each student's best public score and marks my row; the private board is for TAs", async () => {
    const board = await stack.app.inject({
      method: 'GET',
      url: '/v1/tasks/covid-mini/leaderboard',
      headers: bearer(alice),
    });
    expect(board.statusCode).toBe(200);
    const body = board.json();
    expect(body.direction).toBe('lower');
    expect(body.rows.map((row: { displayName: string; rank: number }) => [row.rank, row.displayName])).toEqual([
      [1, 'alice'],
      [2, 'bob'],
    ]);
    expect(body.rows[0]).toMatchObject({ value: 0.3125, isMe: true });
    expect(body.me).toEqual({ rank: 1, value: 0.3125, baselines: ['simple', 'medium', 'strong', 'boss'] });
    const privateForStudent = await stack.app.inject({
      method: 'GET',
      url: '/v1/tasks/covid-mini/leaderboard?split=private',
      headers: bearer(alice),
    });
    expect(privateForStudent.statusCode).toBe(403);
    const privateForTa = await stack.app.inject({
      method: 'GET',
      url: '/v1/tasks/covid-mini/leaderboard?split=private',
      headers: bearer(ta),
    });
    expect(privateForTa.json().rows[0].value).toBe(0);
    expect(aliceId).toBeTruthy();
  });
});
