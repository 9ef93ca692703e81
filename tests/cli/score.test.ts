/** Runs the real `mljudge` binary, as a student would with npx. */
import { execFile } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { corpusBleu } from '@mljudge/metrics';
import { describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const bundles = path.join(root, 'tests/fixtures/bundles');
const scratch = mkdtempSync(path.join(tmpdir(), 'mljudge-cli-'));

async function mljudge(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function file(name: string, content: string): string {
  const target = path.join(scratch, name);
  writeFileSync(target, content);
  return target;
}

describe('mljudge score', () => {
  it('prints the public and private metrics as JSON, the numbers the server computes', async () => {
    const submission = file('pred.csv', 'id,tested_positive\n0,10.5\n1,12.5\n2,8\n3,9.5\n4,14\n5,11\n6,7.25\n7,13\n');
    const result = await mljudge(
      'score',
      '--task',
      path.join(bundles, 'covid-mini'),
      '--submission',
      submission,
      '--json',
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      public: { mse: 0.3125, rmse: Math.sqrt(0.3125) },
      private: { mse: 0, rmse: 0 },
    });
  });

  it('prints a readable report with the baselines passed', async () => {
    const submission = file('pred2.csv', 'id,tested_positive\n0,11\n1,12.5\n2,9\n3,9.5\n4,16\n5,11\n6,8.25\n7,13\n');
    const result = await mljudge('score', '--task', path.join(bundles, 'covid-mini'), '--submission', submission);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('public  mse 1, rmse 1  (4 rows)'); // errors 1, 1, 1, 1 on rows 0, 2, 4, 6
    expect(result.stdout).toContain('baselines passed (public): simple, medium\n');
  });

  it('exits 2 with the same problem document the API stores for a rejected file', async () => {
    const submission = file('dup.csv', 'id,tested_positive\n0,1\n0,2\n');
    const result = await mljudge(
      'score',
      '--task',
      path.join(bundles, 'covid-mini'),
      '--submission',
      submission,
      '--json',
    );
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      type: '/docs/problems#csv-duplicate-id',
      title: 'Submission rejected',
      status: 422,
      code: 'CSV_DUPLICATE_ID',
      detail: 'Line 3, column 1 (id): id "0" already appeared on line 2.',
      line: 3,
      column: 1,
      columnName: 'id',
      expected: 'each id exactly once',
      found: '0',
    });
  });

  it('scores a plain-text translation file with BLEU (HW5)', async () => {
    const hypotheses = ['我們今天去學校。', '他說：「你好」', '這個模型很小。', '翻譯非常困難。'];
    const submission = file('prediction.txt', `${hypotheses.join('\n')}\n`);
    const result = await mljudge(
      'score',
      '--task',
      path.join(bundles, 'translation-mini'),
      '--submission',
      submission,
      '--json',
    );
    expect(result.code).toBe(0);
    const scores = JSON.parse(result.stdout);
    expect(scores.public.bleu).toBeCloseTo(
      corpusBleu(hypotheses.slice(0, 2), [['我們今天去學校。', '他說：「你好，世界」']], { tokenize: 'zh' }).score,
      10,
    );
    expect(scores.private.bleu).toBeCloseTo(
      corpusBleu(hypotheses.slice(2), [['這個模型很大。', '翻譯非常困難。']], { tokenize: 'zh' }).score,
      10,
    );
  });

  it('explains a wrong line count for a text task', async () => {
    const result = await mljudge(
      'score',
      '--task',
      path.join(bundles, 'translation-mini'),
      '--submission',
      file('short.txt', 'one line\n'),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('TEXT_LINE_COUNT');
    expect(result.stderr).toContain('the test set has 4');
  });

  it('exits 1 with usage when arguments are missing, and for a broken bundle', async () => {
    const missing = await mljudge('score', '--task', path.join(bundles, 'covid-mini'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Usage: mljudge score');
    const broken = await mljudge('score', '--task', scratch, '--submission', file('x.csv', 'a'));
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('has no task.yaml');
  });
});
