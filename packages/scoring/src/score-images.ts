/**
 * Scores an uploaded image archive (HW6, HW10): read and check every file against the task's layout,
 * bound each image's distance to its original, then run the TA's evaluators and compute FID, the
 * detection rate or the attacked accuracy. Everything up to the evaluators is the student's
 * (SubmissionRejection, before any model runs); what happens inside them is the TAs'. The worker's
 * runner process and `mljudge score` both call this.
 */
import { assertWithinLinf, readImageSet, type ImageSet } from '@mljudge/images';
import { frechetDistance } from '@mljudge/metrics';
import { argmaxRows } from '@mljudge/onnx-runner';
import { EvaluatorFailure, evaluatorOutputs, type EvaluatorOutput } from './evaluator-run.ts';
import type { LoadedImageTask } from './image-task.ts';
import type { ModelRunInfo } from './score-model.ts';
import type { ScoreReport } from './score-submission.ts';

/** Bumped whenever a change to decoding, preprocessing or these metrics could change a score. */
export const IMAGES_SCORER_VERSION = 'mljudge-images/1.0.0';

/** How the evaluators ran, stored with the submission as a model's run is. */
export interface ImageRunInfo extends ModelRunInfo {
  /** Largest L∞ distance of an image to its original, where the task bounds it. */
  readonly maxLinf?: number;
}

export interface ImageScore {
  readonly report: ScoreReport;
  readonly run: ImageRunInfo;
}

export interface ImageScoreOptions {
  readonly providers: readonly string[];
  /** Called when the upload passed its checks and the evaluators start (time limits cover them only). */
  readonly onModelStart?: () => void;
}

/** Bytes an upload may inflate to: its images decoded are at most this, with room for PNG overhead. */
function inflatedLimit(task: LoadedImageTask): number {
  return task.names.length * (task.rules.width * task.rules.height * 4 + 4096) + (1 << 20);
}

/** Reads and checks an upload against the task's layout and originals. Throws SubmissionRejection. */
export async function checkImageUpload(
  task: LoadedImageTask,
  archive: Uint8Array,
): Promise<{ set: ImageSet; maxLinf: number | undefined }> {
  const set = await readImageSet(archive, {
    archives: task.rules.archives,
    type: task.rules.type,
    width: task.rules.width,
    height: task.rules.height,
    names: task.names,
    maxInflatedBytes: inflatedLimit(task),
  });
  const maxLinf =
    task.rules.maxLinf !== undefined && task.originals
      ? assertWithinLinf(set, task.originals, task.rules.maxLinf)
      : undefined;
  return { set, maxLinf };
}

function detectionRate(output: EvaluatorOutput, threshold: number, evaluator: string): number {
  if (output.width !== 1)
    throw new EvaluatorFailure(`evaluator ${evaluator} outputs ${output.width} values per image; detection reads 1`);
  let hits = 0;
  for (const score of output.values) if (score >= threshold) hits++;
  return hits / output.values.length;
}

function accuracyAgainst(output: EvaluatorOutput, classes: Int32Array, labels: number, evaluator: string): number {
  if (output.width !== labels)
    throw new EvaluatorFailure(`evaluator ${evaluator} outputs ${output.width} logits; the task has ${labels} labels`);
  const predicted = argmaxRows(output.values, output.width);
  let correct = 0;
  for (let row = 0; row < classes.length; row++) if (predicted[row] === classes[row]) correct++;
  return correct / classes.length;
}

/** Scores an upload. Throws SubmissionRejection for the student's mistakes, EvaluatorFailure for ours. */
export async function scoreImages(
  task: LoadedImageTask,
  archive: Uint8Array,
  options: ImageScoreOptions,
): Promise<ImageScore> {
  const { set, maxLinf } = await checkImageUpload(task, archive);
  options.onModelStart?.();
  const started = performance.now();
  const outputs = new Map<string, EvaluatorOutput>();
  const outputOf = async (name: string) => {
    let output = outputs.get(name);
    if (!output) {
      const rules = task.rules.evaluators.find((evaluator) => evaluator.name === name)!;
      output = await evaluatorOutputs(rules, task.models.get(name)!, set.images, options.providers);
      outputs.set(name, output);
    }
    return output;
  };
  const metrics: Record<string, number> = {};
  for (const metric of [task.definition.metric, ...task.definition.report]) {
    const evaluator = metric.imageOptions!.evaluator;
    const output = await outputOf(evaluator);
    if (metric.name === 'fid') {
      const reference = task.references.get(metric.name)!;
      if (output.width !== reference.dims)
        throw new EvaluatorFailure(
          `evaluator ${evaluator} outputs ${output.width} features; the reference statistics have ${reference.dims}`,
        );
      metrics[metric.name] = frechetDistance(
        { rows: set.images.length, dims: output.width, values: output.values },
        reference,
      );
    } else if (metric.name === 'detection_rate') {
      const threshold = task.rules.evaluators.find((candidate) => candidate.name === evaluator)!.threshold;
      metrics[metric.name] = detectionRate(output, threshold, evaluator);
    } else {
      metrics[metric.name] = accuracyAgainst(output, task.classes!, task.definition.labels!.length, evaluator);
    }
  }
  const elapsed = performance.now() - started;
  const inferenceMs = [...outputs.values()].reduce((sum, output) => sum + output.inferenceMs, 0);
  return {
    report: {
      public: { value: metrics[task.definition.metric.name]!, metrics, rows: set.images.length },
      private: null,
      scorerVersion: IMAGES_SCORER_VERSION,
    },
    run: {
      parameters: 0,
      provider: [...new Set([...outputs.values()].map((output) => output.provider))].join(','),
      rows: set.images.length,
      sessionMs: Math.round(elapsed - inferenceMs),
      inferenceMs: Math.round(inferenceMs),
      rowsPerSecond: Math.round(set.images.length / Math.max(elapsed / 1000, 1e-6)),
      ...(maxLinf !== undefined ? { maxLinf } : {}),
    },
  };
}
