/**
 * The model runner, a child process of the worker: it hosts `scoreModel` (packages/scoring) with the
 * task's hidden inputs decoded once per task version, and answers over IPC. onnxruntime's session.run
 * blocks this process, which is why it is not the worker's.
 */
import { readFile } from 'node:fs/promises';
import { SubmissionRejection } from '@mljudge/formats';
import { readNpy, type NpyArray } from '@mljudge/onnx-runner';
import { loadTask, scoreModel, type LoadedTask } from '@mljudge/scoring';
import { LRUCache } from 'lru-cache';
import type { RunRequest, RunResponse } from './protocol.ts';

const tasks = new LRUCache<string, Promise<{ task: LoadedTask; inputs: NpyArray }>>({ max: 4 });

function taskData(request: RunRequest) {
  let cached = tasks.get(request.taskKey);
  if (!cached) {
    cached = Promise.all([
      readFile(request.taskYamlPath, 'utf8'),
      readFile(request.solutionPath),
      readFile(request.inputsPath),
    ]).then(([yaml, solution, inputs]) => ({ task: loadTask(yaml, solution), inputs: readNpy(inputs) }));
    cached.catch(() => tasks.delete(request.taskKey));
    tasks.set(request.taskKey, cached);
  }
  return cached;
}

const reply = (response: RunResponse) => process.send!(response);

async function handle(request: RunRequest): Promise<void> {
  const [{ task, inputs }, model] = await Promise.all([taskData(request), readFile(request.modelPath)]);
  try {
    const { report, run } = await scoreModel(task, inputs, model, {
      providers: request.providers,
      onModelStart: () => reply({ requestId: request.requestId, started: true }),
    });
    reply({ requestId: request.requestId, outcome: { kind: 'scored', report }, run });
  } catch (error) {
    if (!(error instanceof SubmissionRejection)) throw error;
    reply({ requestId: request.requestId, outcome: { kind: 'rejected', detail: error.detail }, run: null });
  }
}

process.on('message', (request: RunRequest) => {
  handle(request).catch((error: Error) =>
    reply({ requestId: request.requestId, error: `${error.name}: ${error.message}` }),
  );
});
