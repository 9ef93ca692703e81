/**
 * The model runner: checks a submitted ONNX model against the task's contract, runs it over the hidden
 * inputs (decoded once per task version), and scores the argmax of its logits with the same metric code
 * as prediction files. Everything that can fail because of the model is a rejection with a reason.
 */
import { readFile } from 'node:fs/promises';
import { SubmissionRejection } from '@mljudge/formats';
import {
  argmaxRows,
  checkModelContract,
  InferenceError,
  readNpy,
  runInference,
  type NpyArray,
} from '@mljudge/onnx-runner';
import { loadTask, scorePredictions, type LoadedTask, type ScoreReport } from '@mljudge/scoring';
import type { ScoringOutcome } from '../scoring-protocol.ts';
import type { RunInfo, RunRequest, RunResponse } from './runner-protocol.ts';

const tasks = new Map<string, Promise<{ task: LoadedTask; inputs: NpyArray }>>();

function taskData(request: RunRequest) {
  let cached = tasks.get(request.taskKey);
  if (!cached) {
    cached = Promise.all([
      readFile(request.taskYamlPath, 'utf8'),
      readFile(request.solutionPath),
      readFile(request.inputsPath),
    ]).then(([yaml, solution, inputs]) => ({
      task: loadTask(yaml, solution),
      inputs: readNpy(inputs),
    }));
    cached.catch(() => tasks.delete(request.taskKey));
    tasks.set(request.taskKey, cached);
    while (tasks.size > 4) tasks.delete(tasks.keys().next().value!);
  }
  return cached;
}

/** Scores an over-budget model as 0 on every metric, when the task says so instead of rejecting. */
function zeroed(report: ScoreReport): ScoreReport {
  const zero = (split: ScoreReport['public']) => ({
    ...split,
    value: 0,
    metrics: Object.fromEntries(Object.keys(split.metrics).map((name) => [name, 0])),
  });
  return { ...report, public: zero(report.public), private: report.private ? zero(report.private) : null };
}

async function handle(request: RunRequest): Promise<{ outcome: ScoringOutcome; run: RunInfo | null }> {
  const [{ task, inputs }, model] = await Promise.all([taskData(request), readFile(request.modelPath)]);
  const rules = task.definition.model!;
  const labels = task.definition.labels!;
  try {
    const contract = checkModelContract(model, {
      inputType: rules.inputType,
      inputShape: rules.inputShape,
      classes: labels.length,
      maxParameters: rules.maxParameters,
      overLimit: rules.overLimit,
    });
    const result = await runInference(model, inputs, {
      inputName: contract.inputName,
      outputName: contract.outputName,
      batchSize: rules.batchSize,
      providers: request.providers,
    });
    if (result.classes !== labels.length) {
      throw new SubmissionRejection({
        code: 'ONNX_OUTPUT',
        message: `The model outputs ${result.classes} logits per image; this task has ${labels.length} classes.`,
        expected: `${labels.length} logits`,
      });
    }
    const codes = argmaxRows(result.outputs, result.classes);
    const report = scorePredictions(task, { kind: 'label', codes, classNames: labels });
    const rows = inputs.shape[0]!;
    const run: RunInfo = {
      parameters: contract.info.parameterCount,
      provider: result.provider,
      rows,
      sessionMs: Math.round(result.sessionMs),
      inferenceMs: Math.round(result.inferenceMs),
      rowsPerSecond: Math.round(rows / Math.max(result.inferenceMs / 1000, 1e-6)),
    };
    return { outcome: { kind: 'scored', report: contract.scoreZero ? zeroed(report) : report }, run };
  } catch (error) {
    if (error instanceof SubmissionRejection) return { outcome: { kind: 'rejected', detail: error.detail }, run: null };
    if (error instanceof InferenceError)
      return { outcome: { kind: 'rejected', detail: { code: error.code, message: error.message } }, run: null };
    throw error;
  }
}

process.on('message', (request: RunRequest) => {
  void handle(request).then(
    (result) => process.send!({ requestId: request.requestId, ...result } satisfies RunResponse),
    (error: Error) =>
      process.send!({ requestId: request.requestId, error: `${error.name}: ${error.message}` } satisfies RunResponse),
  );
});
