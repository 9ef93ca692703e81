/**
 * Our sides of the ONNX benchmark. Usage: onnx-variants.ts bare|worker DIR
 *   bare:   one session, a plain loop of session.run over the hidden inputs in batches (the floor)
 *   worker: the worker's runner process (contract check, inference, argmax, metrics), twice: the first
 *           run also decodes the task's inputs, the second finds them cached as in a long-lived worker
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { readNpy } from '@mljudge/onnx-runner';
import { RunnerPool } from '../apps/worker/src/models/runner-pool.ts';

const [variant, dir] = process.argv.slice(2) as ['bare' | 'worker', string];
const BATCH = 32;

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
  await pool.close();
  if (warm.outcome.kind !== 'scored' || cold.outcome.kind !== 'scored') throw new Error(JSON.stringify(warm.outcome));
  return JSON.stringify({
    ms,
    result: `${(3000 / (ms / 1000)).toFixed(1)} images/s end to end (inference ${warm.run!.inferenceMs} ms, session ${warm.run!.sessionMs} ms, ${warm.run!.parameters.toLocaleString('en')} parameters, provider ${warm.run!.provider}); first run with input decoding ${(coldMs / 1000).toFixed(1)} s; accuracy ${warm.outcome.report.public.value.toFixed(4)}`,
    maxRssKiB: process.resourceUsage().maxRSS,
  });
}

process.stdout.write(`${variant === 'bare' ? await bare() : await worker()}\n`);
