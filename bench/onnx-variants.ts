/**
 * Our sides of the ONNX benchmark. Usage: onnx-variants.ts bare|worker DIR
 *   bare:   one session, a plain loop of session.run over the hidden inputs in batches (the floor)
 *   worker: the worker's runner process (contract check, inference, argmax, metrics), twice: the first
 *           run also decodes the task's inputs, the second finds them cached as in a long-lived worker
 * Each prints its peak RSS: the worker path's is its own plus its runner process's, as the two hold
 * memory at once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { readNpy } from '@mljudge/onnx-runner';
import { RunnerPool } from '../apps/worker/src/models/runner-pool.ts';

const [variant, dir] = process.argv.slice(2) as ['bare' | 'worker', string];
const BATCH = 32;

/** The peak RSS (VmHWM, KiB) of this process's live children, read from /proc (Linux). */
function childrenPeakKiB(): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) !== process.pid) continue;
      total += Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
    } catch {
      // The process ended while we looked.
    }
  }
  return total;
}

async function bare(): Promise<string> {
  const inputs = readNpy(readFileSync(`${dir}/bundle/inputs.npy`));
  const session = await ort.InferenceSession.create(`${dir}/model.onnx`, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
  });
  const rows = inputs.shape[0]!;
  const rowSize = 3 * 128 * 128;
  const started = performance.now();
  const first: number[] = [];
  for (let start = 0; start < rows; start += BATCH) {
    const count = Math.min(BATCH, rows - start);
    const output = await session.run({
      input: new ort.Tensor('float32', inputs.data.subarray(start * rowSize, (start + count) * rowSize), [
        count,
        3,
        128,
        128,
      ]),
    });
    if (start === 0) {
      const logits = output.logits!.data as Float32Array;
      for (let r = 0; r < 4; r++)
        first.push(
          logits
            .subarray(r * 11, r * 11 + 11)
            .reduce((best, value, index, all) => (value > all[best]! ? index : best), 0),
        );
    }
  }
  const ms = performance.now() - started;
  return JSON.stringify({
    ms,
    result: `${(rows / (ms / 1000)).toFixed(1)} images/s, onnxruntime-node cpu, first predictions ${JSON.stringify(first)}`,
    maxRssKiB: process.resourceUsage().maxRSS,
  });
}

async function worker(): Promise<string> {
  const pool = new RunnerPool({ modelsPerChild: 20, memoryLimitMb: 8192 });
  const request = {
    kind: 'model' as const,
    taskKey: 'resnet-bench',
    taskYamlPath: `${dir}/bundle/task.yaml`,
    solutionPath: `${dir}/bundle/solution.csv`,
    inputsPath: `${dir}/bundle/inputs.npy`,
    modelPath: `${dir}/model.onnx`,
    providers: ['cpu'],
  };
  const coldStart = performance.now();
  const cold = await pool.run(request, 1200);
  const coldMs = performance.now() - coldStart;
  const warmStart = performance.now();
  const warm = await pool.run(request, 1200);
  const ms = performance.now() - warmStart;
  const runnerPeakKiB = childrenPeakKiB();
  await pool.close();
  if (warm.outcome.kind !== 'scored' || cold.outcome.kind !== 'scored') throw new Error(JSON.stringify(warm.outcome));
  return JSON.stringify({
    ms,
    result: `${(3000 / (ms / 1000)).toFixed(1)} images/s end to end (inference ${warm.run!.inferenceMs} ms, session ${warm.run!.sessionMs} ms, ${warm.run!.parameters.toLocaleString('en')} parameters, provider ${warm.run!.provider}); first run with input decoding ${(coldMs / 1000).toFixed(1)} s; accuracy ${warm.outcome.report.public.value.toFixed(4)}; runner process peak ${(runnerPeakKiB / 1024).toFixed(0)} MiB`,
    maxRssKiB: process.resourceUsage().maxRSS + runnerPeakKiB,
  });
}

process.stdout.write(`${variant === 'bare' ? await bare() : await worker()}\n`);
