/**
 * A saturated API refuses before it stores: with every upload slot taken (one slot here, held by an
 * upload whose body is still arriving), the next upload is answered 503 problem+json with Retry-After,
 * nothing of it reaches storage or the database, and the student's quota is untouched. Once the slot
 * frees, the same upload (same Idempotency-Key) is accepted as usual.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { covidPrediction, covidTask, pushTask, seedTestCourse, type TestCourse } from '../support/course.ts';
import { eventually } from '../support/eventually.ts';
import { multipart } from '../support/multipart.ts';
import { useTestStack } from '../support/stack.ts';

const stack = useTestStack({ worker: false, config: { MAX_CONCURRENT_UPLOADS: '1' } });
let course: TestCourse;
let base: string;

beforeAll(async () => {
  course = await seedTestCourse(stack, 'busy2023', ['ada', 'bo']);
  await pushTask(stack, course, covidTask('busy'));
  await stack.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(stack.app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await stack.app.close();
});

/** Every file under the storage folder, wherever it sits. */
function storedFiles(): string[] {
  return readdirSync(stack.config.storageDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Starts an upload and sends all of its body but the last bytes; `finish` sends them. */
function heldUpload(token: string, content: string) {
  const body = multipart([{ field: 'file', filename: 'pred.csv', content }]);
  const request = http.request(`${base}/v1/tasks/busy/submissions?course=${course.slug}`, {
    method: 'POST',
    headers: {
      ...body.headers,
      'content-length': String(body.payload.length),
      authorization: `Bearer ${token}`,
      'idempotency-key': randomUUID(),
    },
  });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.on('response', (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    request.on('error', reject);
  });
  const held = body.payload.length - 8;
  request.write(body.payload.subarray(0, held));
  return {
    answer,
    finish: () => request.end(body.payload.subarray(held)),
  };
}

async function upload(token: string, content: string, key: string) {
  const body = multipart([{ field: 'file', filename: 'pred.csv', content }]);
  const response = await fetch(`${base}/v1/tasks/busy/submissions?course=${course.slug}`, {
    method: 'POST',
    body: new Uint8Array(body.payload),
    headers: { ...body.headers, authorization: `Bearer ${token}`, 'idempotency-key': key },
  });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

describe('a saturated API', () => {
  it('answers 503 with Retry-After before storing anything, then accepts the retry', async () => {
    const first = heldUpload(course.students.ada!, covidPrediction(0, 0));
    // The first upload holds the one slot once its file is streaming to storage.
    await eventually(() => storedFiles().some((file) => file.endsWith('.part')), 'the first upload to reach storage');
    const filesBefore = storedFiles();

    const key = randomUUID();
    const refused = await upload(course.students.bo!, covidPrediction(1, 1), key);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(JSON.parse(refused.body)).toMatchObject({ status: 503, code: 'SERVICE_BUSY' });
    expect(JSON.parse(refused.body).detail).toMatch(/nothing was stored/i);

    expect(storedFiles()).toEqual(filesBefore);
    const bo = await stack.database.prisma.user.findFirstOrThrow({ where: { email: 'bo@example.edu' } });
    expect(await stack.database.prisma.submission.count({ where: { userId: bo.id } })).toBe(0);

    first.finish();
    expect((await first.answer).status).toBe(202);

    const retried = await upload(course.students.bo!, covidPrediction(1, 1), key);
    expect(retried.status, retried.body).toBe(202);
    expect(JSON.parse(retried.body).quota).toMatchObject({ used: 1 });
    expect(await stack.database.prisma.submission.count({ where: { userId: bo.id } })).toBe(1);
  });
});
