/**
 * Entry point of a scoring thread. Reads the artifact and (once per task version) the hidden
 * solution from storage, then validates and scores with the same code `mljudge score` runs. CPU-heavy
 * parsing happens here so the main thread keeps renewing BullMQ locks.
 */
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { LRUCache } from 'lru-cache';
import { SubmissionRejection } from '@mljudge/formats';
import { scoreSubmission, warmUpScoring, type LoadedTask } from '@mljudge/scoring';
import {
  CACHED_TASKS,
  type PreloadRequest,
  type PreloadResponse,
  type ScoringRequest,
  type ScoringResponse,
} from './protocol.ts';
import { loadStoredTask } from './stored-task.ts';

/** Decoded solutions of recently used task versions. */
const taskCache = new LRUCache<string, Promise<LoadedTask>>({ max: CACHED_TASKS });

function cachedTask(request: ScoringRequest | PreloadRequest): Promise<LoadedTask> {
  let loading = taskCache.get(request.taskKey);
  if (!loading) {
    loading = loadStoredTask(request.taskYamlPath, request.solutionPath);
    loading.catch(() => taskCache.delete(request.taskKey));
    taskCache.set(request.taskKey, loading);
  }
  return loading;
}

async function handle(request: ScoringRequest): Promise<ScoringResponse> {
  try {
    const [task, artifact] = await Promise.all([cachedTask(request), readFile(request.artifactPath)]);
    try {
      return { requestId: request.requestId, outcome: { kind: 'scored', report: scoreSubmission(task, artifact) } };
    } catch (error) {
      if (error instanceof SubmissionRejection)
        return { requestId: request.requestId, outcome: { kind: 'rejected', detail: error.detail } };
      throw error;
    }
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    return { requestId: request.requestId, error: { name: failure.name, message: failure.message } };
  }
}

// Before the first job: compiled code for it (a failure here only costs the first job its speed).
try {
  warmUpScoring();
} catch {
  // The first job runs as it would have without the warm-up.
}

function preload(request: PreloadRequest): Promise<PreloadResponse> {
  // A preload that fails is forgotten (cachedTask drops it): the first job loads again and reports.
  return cachedTask(request).then(
    () => ({ kind: 'preloaded', taskKey: request.taskKey }),
    (error: unknown) => ({
      kind: 'preloaded',
      taskKey: request.taskKey,
      error: error instanceof Error ? error.message : String(error),
    }),
  );
}

parentPort!.on('message', (request: ScoringRequest | PreloadRequest) => {
  if ('kind' in request) void preload(request).then((response) => parentPort!.postMessage(response));
  else void handle(request).then((response) => parentPort!.postMessage(response));
});
