/**
 * Scores a submitted ONNX model: check it against the task's contract (no code from the file runs),
 * run it over the hidden inputs, and score the argmax of its logits with the same metric code as a
 * prediction file. Everything that can fail because of the model is a SubmissionRejection with the
 * reason. The worker's runner process and `mljudge score` both call this.
 */
import { SubmissionRejection } from '@mljudge/formats';
import { argmaxRows, checkModelContract, InferenceError, runInference, type NpyArray } from '@mljudge/onnx-runner';
import type { LoadedTask } from './loaded-task.ts';
import { scorePredictions, type ScoreReport } from './score-submission.ts';

/** How a model ran, stored with its submission. */
export interface ModelRunInfo {
  readonly parameters: number;
  readonly provider: string;
  readonly rows: number;
  readonly sessionMs: number;
  readonly inferenceMs: number;
  readonly rowsPerSecond: number;
}

export interface ModelScore {
  readonly report: ScoreReport;
  readonly run: ModelRunInfo;
}

export interface ModelRunOptions {
  /** Execution providers in order of preference; CPU is always the last resort. */
  readonly providers: readonly string[];
  /** Called just before the model itself starts to load, so time limits can cover only its own run. */
  readonly onModelStart?: () => void;
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

/** Scores `model` on the task's hidden `inputs`. Throws SubmissionRejection for anything the model did. */
export async function scoreModel(
  task: LoadedTask,
  inputs: NpyArray,
  model: Uint8Array,
  options: ModelRunOptions,
): Promise<ModelScore> {
  const rules = task.definition.model;
  const labels = task.definition.labels;
  if (!rules || !labels) throw new Error(`Task ${task.definition.slug} does not take models.`);
  const contract = checkModelContract(model, {
    inputType: rules.inputType,
    inputShape: rules.inputShape,
    classes: labels.length,
    maxParameters: rules.maxParameters,
    overLimit: rules.overLimit,
  });
  options.onModelStart?.();
  let result;
  try {
    result = await runInference(model, inputs, {
      inputName: contract.inputName,
      outputName: contract.outputName,
      batchSize: rules.batchSize,
      providers: options.providers,
    });
  } catch (error) {
    if (error instanceof InferenceError) throw new SubmissionRejection({ code: error.code, message: error.message });
    throw error;
  }
  if (result.classes !== labels.length) {
    throw new SubmissionRejection({
      code: 'ONNX_OUTPUT',
      message: `The model outputs ${result.classes} logits per image; this task has ${labels.length} classes.`,
      expected: `${labels.length} logits`,
    });
  }
  const report = scorePredictions(task, {
    kind: 'label',
    codes: argmaxRows(result.outputs, result.classes),
    classNames: labels,
  });
  const rows = inputs.shape[0]!;
  const run: ModelRunInfo = {
    parameters: contract.info.parameterCount,
    provider: result.provider,
    rows,
    sessionMs: Math.round(result.sessionMs),
    inferenceMs: Math.round(result.inferenceMs),
    rowsPerSecond: Math.round(rows / Math.max(result.inferenceMs / 1000, 1e-6)),
  };
  return { report: contract.scoreZero ? zeroed(report) : report, run };
}
