/**
 * Model submissions end to end: a TA creates an ONNX task with hidden inputs; students upload models
 * that the worker checks, runs with onnxruntime-node in its runner process, and scores on the board.
 * Every fixture (packages/onnx-runner/fixtures, made by make_fixtures.py) has its outcome.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleFile } from '../support/bundles.ts';
import { seedCourse, seedUser } from '../support/fixtures.ts';
import { multipart } from '../support/multipart.ts';
import { useTestStack } from '../support/stack.ts';
import { bearer, submit, waitForResult } from './helpers.ts';

const stack = useTestStack();
const model = (name: string) => readFileSync(new URL(`../../packages/onnx-runner/fixtures/${name}`, import.meta.url));
const expected = JSON.parse(
  readFileSync(new URL('../../packages/onnx-runner/fixtures/tiny-cnn-expected.json', import.meta.url), 'utf8'),
) as { accuracy: { Public: number; Private: number }; parameters: number };
let ta: string;
let student: string;

beforeAll(async () => {
  const course = await seedCourse(stack.database.db, 'onnx2023');
  ta = (await seedUser(stack.database.db, course.id, 'TA')).token;
  student = (await seedUser(stack.database.db, course.id, 'STUDENT', 'onnx-student')).token;
  const inputs = readFileSync(new URL('../fixtures/bundles/food-onnx-mini/inputs.npy', import.meta.url));
  const body = multipart([
    { field: 'task', filename: 'task.yaml', content: bundleFile('food-onnx-mini', 'task.yaml') },
    { field: 'solution', filename: 'solution.csv', content: bundleFile('food-onnx-mini', 'solution.csv') },
    { field: 'inputs', filename: 'inputs.npy', content: inputs },
  ]);
  const created = await stack.app.inject({
    method: 'POST',
    url: '/v1/courses/onnx2023/tasks',
    payload: body.payload,
    headers: { ...body.headers, ...bearer(ta) },
  });
  expect(created.statusCode, created.body).toBe(201);
});

describe('ONNX task bundles', () => {
  it('refuses an onnx task without inputs.npy, and inputs of the wrong shape', async () => {
    const without = multipart([
      {
        field: 'task',
        filename: 'task.yaml',
        content: bundleFile('food-onnx-mini', 'task.yaml').toString().replace('food-onnx-mini', 'food-onnx-missing'),
      },
      { field: 'solution', filename: 'solution.csv', content: bundleFile('food-onnx-mini', 'solution.csv') },
    ]);
    const missing = await stack.app.inject({
      method: 'POST',
      url: '/v1/courses/onnx2023/tasks',
      payload: without.payload,
      headers: { ...without.headers, ...bearer(ta) },
    });
    expect(missing.json()).toMatchObject({ code: 'BUNDLE_INCOMPLETE' });
    const wrongShape = multipart([
      {
        field: 'task',
        filename: 'task.yaml',
        content: bundleFile('food-onnx-mini', 'task.yaml')
          .toString()
          .replace('food-onnx-mini', 'food-onnx-shape')
          .replace('[3, 32, 32]', '[3, 64, 64]'),
      },
      { field: 'solution', filename: 'solution.csv', content: bundleFile('food-onnx-mini', 'solution.csv') },
      {
        field: 'inputs',
        filename: 'inputs.npy',
        content: readFileSync(new URL('../fixtures/bundles/food-onnx-mini/inputs.npy', import.meta.url)),
      },
    ]);
    const refused = await stack.app.inject({
      method: 'POST',
      url: '/v1/courses/onnx2023/tasks',
      payload: wrongShape.payload,
      headers: { ...wrongShape.headers, ...bearer(ta) },
    });
    expect(refused.json()).toMatchObject({ code: 'BUNDLE_INPUTS_INVALID' });
    expect(refused.json().detail).toContain('float32 [40, 3, 32, 32]');
  });
});

describe('model submissions', () => {
  it('runs a valid model and puts it on the board with its parameter count and provider', async () => {
    const response = await submit(stack.app, student, 'food-onnx-mini', model('tiny-cnn.onnx'), {
      filename: 'model.onnx',
    });
    expect(response.statusCode, response.body).toBe(202);
    const result = await waitForResult(stack.app, student, response.json().submission.id, 60_000);
    expect(result.status, JSON.stringify(result.error)).toBe('SCORED');
    expect(result.public.value).toBe(expected.accuracy.Public);
    expect(result.model).toMatchObject({ parameters: expected.parameters, provider: 'cpu', rows: 40 });
    expect(result.model.rowsPerSecond).toBeGreaterThan(0);
    const forTa = await stack.app.inject({ method: 'GET', url: `/v1/submissions/${result.id}`, headers: bearer(ta) });
    expect(forTa.json().private.value).toBe(expected.accuracy.Private);
    const board = await stack.app.inject({
      method: 'GET',
      url: '/v1/tasks/food-onnx-mini/leaderboard',
      headers: bearer(student),
    });
    expect(board.json().rows[0]).toMatchObject({ displayName: 'onnx-student', value: expected.accuracy.Public });
  });

  it.each([
    ['not-onnx.onnx', 'ONNX_INVALID'],
    ['external-data.onnx', 'ONNX_EXTERNAL_DATA'],
    ['over-parameter-limit.onnx', 'ONNX_TOO_MANY_PARAMETERS'],
    ['wrong-input-rank.onnx', 'ONNX_INPUT'],
    ['wrong-input-dtype.onnx', 'ONNX_INPUT'],
    ['nan-output.onnx', 'ONNX_NON_FINITE_OUTPUT'],
    ['slow-matmul-chain.onnx', 'ONNX_TIMEOUT'],
    // Loads fine, then fails on the last (partial) batch: the student's error, not a retry of ours.
    ['fails-on-partial-batch.onnx', 'ONNX_RUNTIME'],
  ])('rejects %s with %s, free of quota', async (name, code) => {
    const before = (
      await stack.app.inject({ method: 'GET', url: '/v1/tasks/food-onnx-mini', headers: bearer(student) })
    ).json().quota.used;
    const response = await submit(stack.app, student, 'food-onnx-mini', model(name), { filename: name });
    const result = await waitForResult(stack.app, student, response.json().submission.id);
    expect(result.status).toBe('REJECTED');
    expect(result.error.code).toBe(code);
    expect(result.error.detail.length).toBeGreaterThan(20);
    if (code === 'ONNX_TIMEOUT') expect(result.error.detail).toContain('within the 5 s');
    if (code === 'ONNX_RUNTIME') {
      expect(result.error.detail).toMatch(/input rows 32\.\.39 \(a batch of 8\)/);
      expect(result.attempts).toBe(1);
    }
    expect(
      (await stack.app.inject({ method: 'GET', url: '/v1/tasks/food-onnx-mini', headers: bearer(student) })).json()
        .quota.used,
    ).toBe(before);
  });
});
