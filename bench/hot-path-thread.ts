/**
 * A fresh scoring thread for bench/hot-path.ts: told a task folder, it does what a worker's scoring
 * thread does for its first job (read task.yaml, solution.csv and, when asked, the snapshot beside
 * them; load, unless the task was preloaded at start; score the upload), then scores the same
 * upload again, warm, and reports both.
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { loadTaskWithSnapshot, scoreSubmission, warmUpScoring } from '@mljudge/scoring';

const { dir, snapshot, warmUp, preload } = workerData as {
  dir: string;
  snapshot: string | null;
  warmUp: boolean;
  preload: boolean;
};
const load = () => {
  const loaded = loadTaskWithSnapshot(
    readFileSync(`${dir}/task.yaml`, 'utf8'),
    readFileSync(`${dir}/solution.csv`),
    snapshot ? readFileSync(snapshot) : null,
  );
  if (snapshot && loaded.snapshot) throw new Error('the snapshot was not used');
  return loaded;
};
// What a worker's scoring thread does when it starts, before any job arrives: warm up, and decode
// the live tasks the worker lists (ScoringPool.preload).
if (warmUp) warmUpScoring();
let loaded = preload ? load() : undefined;
const started = performance.now();
loaded ??= load();
const firstJob = () => scoreSubmission(loaded.task, readFileSync(`${dir}/submission.csv`)).public.value;
firstJob();
const firstMs = performance.now() - started;
const warm: number[] = [];
for (let job = 0; job < 7; job++) {
  const jobStarted = performance.now();
  firstJob();
  warm.push(performance.now() - jobStarted);
}
warm.sort((a, b) => a - b);
parentPort!.postMessage({ firstMs, warmMs: warm[3]! });
