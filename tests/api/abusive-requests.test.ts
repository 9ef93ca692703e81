/**
 * Requests written to break the service: each gets a 4xx problem document (never a 500), stores
 * nothing, costs no quota, and is not read further than it takes to refuse it.
 */
import http from 'node:http';
import type net from 'node:net';
import { statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { covidPrediction, covidTask, pushTask, seedTestCourse, type TestCourse } from '../support/course.ts';
import { multipart } from '../support/multipart.ts';
import { useTestStack } from '../support/stack.ts';
import { bearer, submit } from './helpers.ts';

const stack = useTestStack({ config: { REJECTED_BYTES_PER_DAY: '200000', MAX_STREAMS_PER_USER: '3' } });
let course: TestCourse;
let base: string;

beforeAll(async () => {
  course = await seedTestCourse(stack, 'abuse2023', ['mallory', 'eve', 'oscar']);
  await pushTask(stack, course, covidTask('target'));
  await stack.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(stack.app.server.address() as net.AddressInfo).port}`;
});

/** Files under storage/submissions: what an upload may have left behind. */
async function storedFiles(): Promise<string[]> {
  const files: string[] = [];
  for await (const file of stack.storage.files('submissions')) files.push(file.key);
  return files;
}

describe('malformed requests', () => {
  it('answers multipart without a boundary with 400, on uploads and bundles alike', async () => {
    for (const url of ['/v1/tasks/target/submissions', `/v1/courses/${course.slug}/tasks`]) {
      const answer = await stack.app.inject({
        method: 'POST',
        url,
        payload: 'abc',
        headers: { ...bearer(course.ta), 'content-type': 'multipart/form-data' },
      });
      expect(answer.statusCode, url).toBe(400);
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect(answer.json().code).toBe('MULTIPART_INVALID');
    }
  });

  it.each([
    ['a token name', 'POST', '/v1/me/tokens', { name: 'ci\u0000' }],
    ['a sign-in email', 'POST', '/v1/sessions', { email: 'a\u0000@example.edu', password: 'x' }],
    ['an override reason', 'PUT', '/v1/tasks/target/overrides/mallory@example.edu', { reason: 'because\u0000' }],
    ['a rescore reason', 'POST', '/v1/tasks/target/rescore', { reason: 'new\u0000labels' }],
  ])('refuses a NUL byte in %s with 422, not a database error', async (_what, method, url, payload) => {
    const answer = await stack.app.inject({ method: method as 'POST', url, payload, headers: bearer(course.ta) });
    expect(answer.statusCode, answer.body).toBe(422);
    expect(answer.json().code).toBe('TEXT_FIELD_INVALID');
  });

  it('refuses a NUL byte in a search, and an offset past any board, with 4xx', async () => {
    const search = await stack.app.inject({
      method: 'GET',
      url: '/v1/tasks/target/leaderboard?q=a%00b',
      headers: bearer(course.ta),
    });
    expect(search.statusCode).toBe(422);
    for (const offset of ['9223372036854775808', '100000000000000000000']) {
      const answer = await stack.app.inject({
        method: 'GET',
        url: `/v1/tasks/target/leaderboard?offset=${offset}`,
        headers: bearer(course.ta),
      });
      expect(answer.statusCode, offset).toBe(400);
    }
    // A forged or garbled `after` cursor is the client's mistake, never a 500.
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const after of ['not-a-cursor', forged([3, 'x', 'y', 'z']), forged([-1]), forged([2, 'fast', null, 'u'])]) {
      const answer = await stack.app.inject({
        method: 'GET',
        url: `/v1/tasks/target/leaderboard?after=${after}`,
        headers: bearer(course.ta),
      });
      expect(answer.statusCode, after).toBe(400);
      expect(answer.json().code, after).toBe('CURSOR_INVALID');
    }
  });

  it("refuses a task.yaml that expands aliases without end (billion laughs) as the TA's error", async () => {
    const lol = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
      ),
    ].join('\n');
    const body = multipart([
      { field: 'task', filename: 'task.yaml', content: `slug: lol\ntitle: lol\n${lol}\n` },
      { field: 'solution', filename: 'solution.csv', content: 'id,tested_positive,Usage\n0,1,Public\n' },
    ]);
    const answer = await stack.app.inject({
      method: 'POST',
      url: `/v1/courses/${course.slug}/tasks`,
      payload: body.payload,
      headers: { ...body.headers, ...bearer(course.ta) },
    });
    expect(answer.statusCode).toBe(422);
    expect(answer.json().code).toMatch(/^TASK_YAML_/);
  });

  it('refuses a .tar.gz bomb while it inflates, leaving no staging behind', async () => {
    const tar = Buffer.alloc(1024 + 600 * 1024 * 1024 + 512);
    const header = Buffer.alloc(512);
    header.write('solution.csv', 0);
    header.write('0000644\0', 100);
    header.write(`${(600 * 1024 * 1024).toString(8).padStart(11, '0')}\0`, 124);
    header.write('0', 156);
    header.write('ustar\0', 257);
    header.fill(' ', 148, 156);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    header.copy(tar, 0);
    const bomb = gzipSync(tar, { level: 9 });
    const body = multipart([{ field: 'bundle', filename: 'bundle.tar.gz', content: bomb }]);
    const answer = await stack.app.inject({
      method: 'POST',
      url: `/v1/courses/${course.slug}/tasks`,
      payload: body.payload,
      headers: { ...body.headers, ...bearer(course.ta) },
    });
    expect(answer.statusCode).toBe(422);
    expect(answer.json()).toMatchObject({
      code: 'BUNDLE_ARCHIVE_INVALID',
      detail: expect.stringContaining('inflates to more than'),
    });
    expect(await stack.storage.folders('staging')).toEqual([]);
  });
});

describe('uploads that cost nothing', () => {
  it('refuses a NUL byte in the message or the file name before storing the file', async () => {
    const before = await storedFiles();
    const message = await submit(stack.app, course.students.mallory!, 'target', covidPrediction(0, 0), {
      message: 'x\u0000',
    });
    expect(message.statusCode).toBe(422);
    const name = await submit(stack.app, course.students.mallory!, 'target', covidPrediction(0, 0), {
      filename: 'p\u0000.csv',
    });
    expect(name.statusCode).toBe(422);
    expect(await storedFiles()).toEqual(before);
  });

  it('caps the bytes of rejected files a student may store in a day', async () => {
    const junk = `id,wrong\n${'x'.repeat(90_000)}\n`;
    const answers = [];
    for (let i = 0; i < 4; i++)
      answers.push(await submit(stack.app, course.students.eve!, 'target', junk, { query: '?wait=60' }));
    expect(answers.slice(0, 3).map((answer) => answer.json().submission?.status)).toEqual([
      'REJECTED',
      'REJECTED',
      'REJECTED',
    ]);
    expect(answers[3]!.statusCode).toBe(429);
    expect(answers[3]!.json().code).toBe('REJECTED_BYTES_EXCEEDED');
  });

  /** Streams a declared 1 GiB upload until the server answers or closes; what it sent by then. */
  function pumpUpload(slug: string, token: string): Promise<{ status: number; sent: number; body: string }> {
    const declared = 1024 * 1024 * 1024;
    return new Promise((resolve, reject) => {
      let sent = 0;
      let status = 0;
      let body = '';
      const boundary = 'x';
      // A real file part, so that a server that reads on finds a file growing past any limit.
      const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="pred.csv"\r\nContent-Type: text/csv\r\n\r\n`;
      const request = http.request(`${base}/v1/tasks/${slug}/submissions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(head.length + declared),
        },
      });
      request.on('response', (response) => {
        status = response.statusCode ?? 0;
        response.setEncoding('utf8');
        response.on('data', (text: string) => (body += text));
      });
      request.write(head);
      const chunk = Buffer.alloc(1024 * 1024, 97);
      const pump = () => {
        while (status === 0 && sent < declared && !request.destroyed) {
          sent += chunk.length;
          if (!request.write(chunk)) return request.once('drain', pump);
        }
      };
      request.on('close', () => resolve({ status, sent, body }));
      request.on('error', () => resolve({ status, sent, body }));
      pump();
      setTimeout(() => reject(new Error('the server kept reading')), 120_000).unref();
    });
  }

  it('stops reading a large upload with a bad token and closes the connection, long before its end', async () => {
    const result = await pumpUpload('target', 'mlj_not-a-token');
    expect(result.status).toBe(401);
    expect(result.sent).toBeLessThan(256 * 1024 * 1024);
  });

  it('refuses an upload over the quota before reading its body', async () => {
    await pushTask(stack, course, {
      taskYaml: covidTask('one-a-day').taskYaml.replace('daily_submissions: 5', 'daily_submissions: 1'),
    });
    const first = await submit(stack.app, course.students.oscar!, 'one-a-day', covidPrediction(0, 0));
    expect(first.statusCode, first.body).toBe(202);
    const result = await pumpUpload('one-a-day', course.students.oscar!);
    expect(result.status).toBe(429);
    expect(result.sent).toBeLessThan(256 * 1024 * 1024);
  });

  it('stops reading an upload at its size limit with 413, not at the end of its body', async () => {
    // The task takes 1 MB: a file part that never ends used to be read to the end of the request,
    // then refused as malformed multipart.
    const result = await pumpUpload('target', course.students.oscar!);
    expect(result.status, result.body).toBe(413);
    expect(JSON.parse(result.body)).toMatchObject({ code: 'UPLOAD_TOO_LARGE', limitBytes: 1024 * 1024 });
    expect(result.sent).toBeLessThan(256 * 1024 * 1024);
  });
});

describe('what students may open', () => {
  it('hides a task before it opens, from the list and by slug', async () => {
    await pushTask(stack, course, covidTask('not-yet', 'opens_at: 2999-01-01T00:00:00+08:00\n'));
    const list = await stack.app.inject({ method: 'GET', url: '/v1/tasks', headers: bearer(course.students.mallory!) });
    expect(list.json().tasks.map((task: { slug: string }) => task.slug)).not.toContain('not-yet');
    expect(
      (await stack.app.inject({ method: 'GET', url: '/v1/tasks/not-yet', headers: bearer(course.students.mallory!) }))
        .statusCode,
    ).toBe(404);
    expect(
      (await stack.app.inject({ method: 'GET', url: '/v1/tasks/not-yet', headers: bearer(course.ta) })).statusCode,
    ).toBe(200);
  });

  it('caps the live streams one student holds open', async () => {
    const open = () =>
      fetch(`${base}/v1/tasks/target/leaderboard/events`, { headers: bearer(course.students.mallory!) });
    const streams = [await open(), await open(), await open()];
    expect(streams.map((stream) => stream.status)).toEqual([200, 200, 200]);
    const fourth = await open();
    expect(fourth.status).toBe(429);
    expect((await fourth.json()).code).toBe('STREAMS_LIMIT');
    for (const stream of streams) await stream.body?.cancel();
  });

  it('keeps hidden task files and uploads readable by the service alone (0600)', async () => {
    const task = await stack.database.prisma.task.findFirstOrThrow({ where: { slug: 'target' } });
    const solution = stack.storage.pathOf(`${task.bundleKey}/solution.csv`);
    expect(statSync(solution).mode & 0o777).toBe(0o600);
    const [upload] = await storedFiles();
    expect(statSync(stack.storage.pathOf(upload!)).mode & 0o777).toBe(0o600);
  });
});
