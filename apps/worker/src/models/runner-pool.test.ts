/** The runner process: scores a model, and enforces the memory limit from outside the blocked child. */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RunnerPool } from './runner-pool.ts';

const fixture = fileURLToPath(new URL('../../../../tests/fixtures/bundles/food-onnx-mini/', import.meta.url));
// A copy, as in storage: loading a task leaves a snapshot of its solution beside it.
const bundle = `${mkdtempSync(path.join(tmpdir(), 'mljudge-runner-bundle-'))}/`;
for (const name of ['task.yaml', 'solution.csv', 'inputs.npy']) copyFileSync(`${fixture}${name}`, `${bundle}${name}`);
const request = {
  kind: 'model' as const,
  taskKey: 'food-onnx-mini',
  taskYamlPath: `${bundle}task.yaml`,
  solutionPath: `${bundle}solution.csv`,
  inputsPath: `${bundle}inputs.npy`,
  modelPath: fileURLToPath(new URL('../../../../packages/onnx-runner/fixtures/tiny-cnn.onnx', import.meta.url)),
  providers: ['cpu'],
};
const pools: RunnerPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.close()));
  rmSync(bundle, { recursive: true, force: true });
});

describe('RunnerPool', () => {
  it('scores a model and reports how it ran, reusing the child for the next model', async () => {
    const pool = new RunnerPool({ modelsPerChild: 5, memoryLimitMb: 4096 });
    pools.push(pool);
    const first = await pool.run(request, 30);
    const second = await pool.run(request, 30);
    for (const result of [first, second]) {
      expect(result.outcome.kind).toBe('scored');
      expect(result.run).toMatchObject({ parameters: 167, provider: 'cpu', rows: 40 });
    }
  });

  it('kills a model that exceeds the memory limit and rejects it with the limit', async () => {
    // 64 MB is below what any Node process with onnxruntime needs, so the watchdog must fire.
    const pool = new RunnerPool({ modelsPerChild: 5, memoryLimitMb: 64 });
    pools.push(pool);
    const result = await pool.run(request, 30);
    expect(result.outcome).toMatchObject({
      kind: 'rejected',
      detail: { code: 'ONNX_MEMORY', expected: 'at most 64 MB' },
    });
  });

  it('stops a model that really allocates past the limit, and the next model runs in a fresh child', async () => {
    // 768 MB is well above what the runner needs for a normal model (the tiny CNN passes under it);
    // memory-hog.onnx asks for 128 MB per row, 2 GB for a batch of 16 (with an 8 GB limit it scores:
    // it is the limit that stops it, not an error of the model).
    const pool = new RunnerPool({ modelsPerChild: 5, memoryLimitMb: 768 });
    pools.push(pool);
    expect((await pool.run(request, 30)).outcome.kind).toBe('scored');
    const hog = await pool.run(
      {
        ...request,
        modelPath: fileURLToPath(new URL('../../../../packages/onnx-runner/fixtures/memory-hog.onnx', import.meta.url)),
      },
      30,
    );
    expect(hog.outcome).toMatchObject({
      kind: 'rejected',
      detail: { code: 'ONNX_MEMORY', expected: 'at most 768 MB' },
    });
    expect((await pool.run(request, 30)).outcome.kind).toBe('scored');
  });

  it("starts a model's time limit when the model starts, not while the task loads", async () => {
    // inputs.npy is a named pipe fed only after 5 s, so the child spends at least that loading the
    // task; the model's own limit is 3 s, far more than its milliseconds of work. A limit counted
    // from the request would have rejected it with ONNX_TIMEOUT.
    const folder = mkdtempSync(path.join(tmpdir(), 'mljudge-slow-load-'));
    for (const name of ['task.yaml', 'solution.csv']) copyFileSync(`${bundle}${name}`, path.join(folder, name));
    const inputsPath = path.join(folder, 'inputs.npy');
    execFileSync('mkfifo', [inputsPath]);
    const pool = new RunnerPool({ modelsPerChild: 5, memoryLimitMb: 4096 });
    pools.push(pool);
    const running = pool.run(
      {
        ...request,
        taskKey: 'slow-load',
        taskYamlPath: path.join(folder, 'task.yaml'),
        solutionPath: path.join(folder, 'solution.csv'),
        inputsPath,
      },
      3,
    );
    await sleep(5000);
    const pipe = await open(inputsPath, 'w');
    await pipe.writeFile(readFileSync(`${bundle}inputs.npy`));
    await pipe.close();
    const result = await running;
    expect(result.outcome.kind, JSON.stringify(result.outcome)).toBe('scored');
  }, 60_000);
});
