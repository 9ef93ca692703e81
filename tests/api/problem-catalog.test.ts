/**
 * Every error code a student or TA can be shown is explained at /docs/problems, where problem types
 * point. API codes are checked by the compiler (AppError takes a documented code); the codes of the
 * scoring packages are collected here by feeding them bad files, bad bundles and bad models.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { BundleError, SubmissionRejection } from '@mljudge/formats';
import { readNpy } from '@mljudge/onnx-runner';
import { loadTask, loadTaskDirectory, scoreModel, scoreSubmission } from '@mljudge/scoring';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleFile } from '../support/bundles.ts';
import { useTestStack } from '../support/stack.ts';

const stack = useTestStack({ worker: false });
const fixture = (name: string) =>
  fileURLToPath(new URL(`../../packages/onnx-runner/fixtures/${name}`, import.meta.url));
let documented: Set<string>;

beforeAll(async () => {
  const answer = await stack.app.inject({ method: 'GET', url: '/docs/problems' });
  documented = new Set((answer.json().problems as Array<{ code: string }>).map((entry) => entry.code));
});

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof SubmissionRejection || error instanceof BundleError) return error.detail.code;
    throw error;
  }
  throw new Error('expected a rejection');
}

const covid = () =>
  loadTask(bundleFile('covid-mini', 'task.yaml').toString(), bundleFile('covid-mini', 'solution.csv'));
const phoneme = () =>
  loadTask(bundleFile('phoneme-mini', 'task.yaml').toString(), bundleFile('phoneme-mini', 'solution.csv'));

describe('/docs/problems', () => {
  it('explains every code a bad prediction file gets', () => {
    const files: Array<[() => ReturnType<typeof covid>, string | Buffer]> = [
      [covid, ''],
      [covid, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00])],
      [covid, Buffer.from([0x69, 0x64, 0xe9, 0x0a])],
      [covid, 'wrong,header\n'],
      [covid, 'id,tested_positive\n'],
      [covid, 'id,tested_positive\n0,1,2\n'],
      [covid, 'id,tested_positive\n0,"1\n'],
      [covid, 'id,tested_positive\n0,"1"x\n'],
      [covid, 'id,tested_positive\n,1\n'],
      [covid, 'id,tested_positive\n99,1\n'],
      [covid, 'id,tested_positive\n0,1\n0,1\n'],
      [covid, 'id,tested_positive\n0,1\n'],
      [covid, 'id,tested_positive\n0,abc\n'],
      [covid, 'id,tested_positive\n0,nan\n'],
      [phoneme, 'Id,Class\n0,not-a-label\n'],
    ];
    const codes = files.map(([task, file]) => {
      const loaded = task();
      return codeOf(() => scoreSubmission(loaded, typeof file === 'string' ? Buffer.from(file) : file));
    });
    expect(new Set(codes).size).toBeGreaterThan(12);
    expect(codes.filter((code) => !documented.has(code))).toEqual([]);
  });

  it('explains every code a bad task bundle gets', async () => {
    const yaml = bundleFile('covid-mini', 'task.yaml').toString();
    const solution = bundleFile('covid-mini', 'solution.csv');
    const codes = [
      codeOf(() => loadTask('slug: [unclosed', solution)),
      codeOf(() => loadTask('slug: x\n', solution)),
      codeOf(() => loadTask(yaml, Buffer.from(''))),
      codeOf(() => loadTask(yaml, Buffer.from('id,tested_positive,Usage\n0,1,Nope\n'))),
      codeOf(() => loadTask(yaml, Buffer.from('id,tested_positive,Usage\n0,1,Private\n'))),
      await loadTaskDirectory('/nonexistent').then(
        () => 'none',
        (error: BundleError) => error.detail.code,
      ),
    ];
    expect(codes.filter((code) => !documented.has(code))).toEqual([]);
  });

  it('explains every code a bad model gets', async () => {
    const task = await loadTaskDirectory(
      fileURLToPath(new URL('../fixtures/bundles/food-onnx-mini/', import.meta.url)),
    );
    const inputs = readNpy(
      await readFile(fileURLToPath(new URL('../fixtures/bundles/food-onnx-mini/inputs.npy', import.meta.url))),
    );
    const codes = [];
    for (const name of [
      'not-onnx.onnx',
      'external-data.onnx',
      'over-parameter-limit.onnx',
      'wrong-input-dtype.onnx',
      'wrong-input-rank.onnx',
      'nan-output.onnx',
    ]) {
      const model = await readFile(fixture(name));
      codes.push(
        await scoreModel(task, inputs, model, { providers: ['cpu'] }).then(
          () => 'scored',
          (error: SubmissionRejection) => error.detail.code,
        ),
      );
    }
    expect(codes).not.toContain('scored');
    expect(codes.filter((code) => !documented.has(code))).toEqual([]);
  });

  it('serves an HTML page with one anchor per code, and JSON otherwise', async () => {
    const html = await stack.app.inject({ method: 'GET', url: '/docs/problems', headers: { accept: 'text/html' } });
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('<tr id="csv-duplicate-id">');
    const json = await stack.app.inject({ method: 'GET', url: '/docs/problems' });
    expect(json.json().problems).toContainEqual({ code: 'QUOTA_EXCEEDED', status: 429, meaning: expect.any(String) });
  });
});
