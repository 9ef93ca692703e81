/**
 * The data tab: a bundle publishes the files task.yaml lists under `data` (as parts named "data", or
 * in a data/ folder of the archive), the server adds a sample submission with every test id and one
 * constant prediction (nothing of the hidden labels), and students who may see the task download
 * them. A bundle whose public files differ from its list is refused, and hidden files can never be
 * published or downloaded.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleFile } from '../support/bundles.ts';
import { seedTestCourse, type TestCourse } from '../support/course.ts';
import { seedCourse, seedUser } from '../support/fixtures.ts';
import { multipart, type FilePart } from '../support/multipart.ts';
import { useTestStack } from '../support/stack.ts';
import { bearer } from './helpers.ts';

const stack = useTestStack({ worker: false });
let course: TestCourse;
let outsider: string;

const FEATURES = 'id,cli_cases,ili_cases\n0,1.2,3.4\n1,2.2,1.4\n2,0.2,0.4\n';

beforeAll(async () => {
  course = await seedTestCourse(stack, 'data2025', ['fay']);
  const other = await seedCourse(stack.database.db, 'elsewhere2025');
  outsider = (await seedUser(stack.database.db, other.id, 'STUDENT', 'outsider')).token;
});

function covidYaml(slug: string, extra: string) {
  return bundleFile('covid-mini', 'task.yaml').toString().replace('slug: covid-mini', `slug: ${slug}`) + extra;
}

async function push(parts: FilePart[]) {
  const body = multipart(parts);
  return stack.app.inject({
    method: 'POST',
    url: '/v1/courses/data2025/tasks',
    payload: body.payload,
    headers: { ...body.headers, ...bearer(course.ta) },
  });
}

const bundleParts = (slug: string, extra: string, data: Array<[string, string]> = []): FilePart[] => [
  { field: 'task', filename: 'task.yaml', content: covidYaml(slug, extra) },
  { field: 'solution', filename: 'solution.csv', content: bundleFile('covid-mini', 'solution.csv') },
  ...data.map(([filename, content]) => ({ field: 'data', filename, content })),
];

const get = (url: string, token: string) => stack.app.inject({ method: 'GET', url, headers: bearer(token) });

describe('public files', () => {
  it('are listed and downloaded, with a generated sample submission that holds no label', async () => {
    const pushed = await push(
      bundleParts('with-data', 'data: [test_features.csv]\n', [['test_features.csv', FEATURES]]),
    );
    expect(pushed.statusCode, pushed.body).toBe(201);
    const listing = await get('/v1/tasks/with-data/data', course.students.fay!);
    expect(listing.statusCode).toBe(200);
    expect(listing.json().files).toEqual([
      {
        name: 'sample_submission.csv',
        bytes: expect.any(Number),
        url: '/v1/tasks/with-data/data/sample_submission.csv?course=data2025',
      },
      {
        name: 'test_features.csv',
        bytes: FEATURES.length,
        url: '/v1/tasks/with-data/data/test_features.csv?course=data2025',
      },
    ]);
    const features = await get('/v1/tasks/with-data/data/test_features.csv', course.students.fay!);
    expect(features.body).toBe(FEATURES);
    expect(features.headers['content-disposition']).toBe('attachment; filename="test_features.csv"');
    const sample = await get('/v1/tasks/with-data/data/sample_submission.csv', course.students.fay!);
    expect(sample.body).toBe('id,tested_positive\n0,0\n1,0\n2,0\n3,0\n4,0\n5,0\n6,0\n7,0\n');

    // The sample uploads as a valid submission.
    const upload = multipart([{ field: 'file', filename: 'sample.csv', content: sample.body }]);
    const submitted = await stack.app.inject({
      method: 'POST',
      url: '/v1/tasks/with-data/submissions',
      payload: upload.payload,
      headers: { ...upload.headers, ...bearer(course.students.fay!) },
    });
    expect(submitted.statusCode).toBe(202);
  });

  it('never serve the hidden files, and only to people who see the task', async () => {
    for (const name of [
      'solution.csv',
      'task.yaml',
      'solution.snapshot',
      '..%2Fsolution.csv',
      '%2E%2E%2Fsolution.csv',
      '..%2Fsolution.snapshot',
    ])
      expect((await get(`/v1/tasks/with-data/data/${name}`, course.students.fay!)).statusCode).toBe(404);
    expect((await get('/v1/tasks/with-data/data', outsider)).statusCode).toBe(404);
    await stack.app.inject({
      method: 'PUT',
      url: '/v1/tasks/with-data/state',
      payload: { state: 'hidden' },
      headers: bearer(course.ta),
    });
    expect((await get('/v1/tasks/with-data/data/test_features.csv', course.students.fay!)).statusCode).toBe(404);
    expect((await get('/v1/tasks/with-data/data/test_features.csv', course.ta)).statusCode).toBe(200);
  });

  it('come from a data/ folder of an archive too, and a changed file makes a new version', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mljudge-data-bundle-'));
    mkdirSync(path.join(dir, 'hw', 'data'), { recursive: true });
    writeFileSync(path.join(dir, 'hw', 'task.yaml'), covidYaml('archived-data', 'data: [test_features.csv]\n'));
    writeFileSync(path.join(dir, 'hw', 'solution.csv'), bundleFile('covid-mini', 'solution.csv'));
    writeFileSync(path.join(dir, 'hw', 'data', 'test_features.csv'), FEATURES);
    const archive = () => execFileSync('tar', ['-czf', '-', '-C', dir, 'hw']);
    const first = await push([{ field: 'bundle', filename: 'hw.tar.gz', content: archive() }]);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().task.version).toBe(1);
    writeFileSync(path.join(dir, 'hw', 'data', 'test_features.csv'), FEATURES + '3,9.9,9.9\n');
    const second = await push([{ field: 'bundle', filename: 'hw.tar.gz', content: archive() }]);
    expect(second.json().task.version).toBe(2);
    const features = await get('/v1/tasks/archived-data/data/test_features.csv', course.students.fay!);
    expect(features.body).toBe(FEATURES + '3,9.9,9.9\n');
  });

  it('must match the list in task.yaml, and the hidden files cannot be on it', async () => {
    const missing = await push(bundleParts('bad-data-1', 'data: [test_features.csv]\n'));
    expect(missing.statusCode).toBe(422);
    expect(missing.json()).toMatchObject({ code: 'BUNDLE_DATA_MISMATCH' });
    expect(missing.json().detail).toContain('no data/test_features.csv');
    const undeclared = await push(bundleParts('bad-data-2', '', [['extra.csv', FEATURES]]));
    expect(undeclared.statusCode).toBe(422);
    expect(undeclared.json().detail).toContain('data/extra.csv, which task.yaml does not list');
    const hidden = await push(bundleParts('bad-data-3', 'data: [solution.csv]\n', [['solution.csv', FEATURES]]));
    expect(hidden.statusCode).toBe(422);
    expect(hidden.json().code).toBe('TASK_YAML_INVALID');
    const badName = await push(bundleParts('bad-data-4', '', [['../evil.csv', FEATURES]]));
    expect(badName.statusCode).toBe(422);
    expect((await get('/v1/tasks/bad-data-1/data', course.ta)).statusCode).toBe(404);
  });

  it('for a label task, the sample predicts the first declared label', async () => {
    const body = multipart([
      { field: 'task', filename: 'task.yaml', content: bundleFile('phoneme-mini', 'task.yaml') },
      { field: 'solution', filename: 'solution.csv', content: bundleFile('phoneme-mini', 'solution.csv') },
    ]);
    const pushed = await stack.app.inject({
      method: 'POST',
      url: '/v1/courses/data2025/tasks',
      payload: body.payload,
      headers: { ...body.headers, ...bearer(course.ta) },
    });
    expect(pushed.statusCode, pushed.body).toBe(201);
    const sample = (await get('/v1/tasks/phoneme-mini/data/sample_submission.csv', course.students.fay!)).body;
    const lines = sample.trim().split('\n');
    expect(lines[0]).toBe('Id,Class');
    expect(lines.slice(1).every((line) => line.endsWith(',0'))).toBe(true);
    expect(lines).toHaveLength(7);
  });
});
