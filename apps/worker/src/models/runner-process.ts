/**
 * The model runner, a child process of the worker: it hosts `scoreModel` and `scoreImages`
 * (packages/scoring) with each task version's data decoded once (hidden inputs; evaluators,
 * originals and reference statistics), and answers over IPC. onnxruntime's session.run blocks this
 * process, which is why it is not the worker's.
 */
import { readFile } from 'node:fs/promises';
import { SubmissionRejection } from '@mljudge/formats';
import { readNpy, type NpyArray } from '@mljudge/onnx-runner';
import { loadImageTask, scoreImages, scoreModel, type LoadedImageTask, type LoadedTask } from '@mljudge/scoring';
import { LRUCache } from 'lru-cache';
import { loadStoredTask } from '../scoring/stored-task.ts';
import type { ImagesRunRequest, ModelRunRequest, RunRequest, RunResponse } from './protocol.ts';

const tasks = new LRUCache<string, Promise<{ task: LoadedTask; inputs: NpyArray }>>({ max: 4 });
const imageTasks = new LRUCache<string, Promise<LoadedImageTask>>({ max: 4 });

function cached<T extends object>(cache: LRUCache<string, Promise<T>>, key: string, load: () => Promise<T>) {
  let entry = cache.get(key);
  if (!entry) {
    entry = load();
    entry.catch(() => cache.delete(key));
    cache.set(key, entry);
  }
  return entry;
}

const taskData = (request: ModelRunRequest) =>
  cached(tasks, request.taskKey, () =>
    Promise.all([loadStoredTask(request.taskYamlPath, request.solutionPath), readFile(request.inputsPath)]).then(
      ([task, inputs]) => ({ task, inputs: readNpy(inputs) }),
    ),
  );

const imageTaskData = (request: ImagesRunRequest) =>
  cached(imageTasks, request.taskKey, async () =>
    loadImageTask(await readFile(request.taskYamlPath, 'utf8'), request.evaluationDir, {
      providers: request.providers,
    }),
  );

const reply = (response: RunResponse) => process.send!(response);

async function score(request: RunRequest) {
  const onModelStart = () => reply({ requestId: request.requestId, started: true });
  if (request.kind === 'images') {
    const [task, archive] = await Promise.all([imageTaskData(request), readFile(request.archivePath)]);
    return scoreImages(task, archive, { providers: request.providers, onModelStart });
  }
  const [{ task, inputs }, model] = await Promise.all([taskData(request), readFile(request.modelPath)]);
  return scoreModel(task, inputs, model, { providers: request.providers, onModelStart });
}

async function handle(request: RunRequest): Promise<void> {
  try {
    const { report, run } = await score(request);
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
