/**
 * Runs one of the TA's evaluator models over decoded images: the declared preprocessing, then
 * onnxruntime in batches with the worker's provider order. The evaluator is the TA's, checked at
 * bundle upload, so its failure on a student's images is ours to look into (EvaluatorFailure, which
 * the worker retries and then records), never the student's rejection.
 */
import type { RgbImage } from '@mljudge/images';
import { imagesToTensor, inputShapeOf } from '@mljudge/images';
import { checkModelContract, InferenceError, runInference } from '@mljudge/onnx-runner';
import type { EvaluatorRules } from './image-rules.ts';

export class EvaluatorFailure extends Error {
  override name = 'EvaluatorFailure';
}

export interface EvaluatorOutput {
  /** Row-major [images, width]. */
  readonly values: Float32Array;
  readonly width: number;
  readonly provider: string;
  readonly inferenceMs: number;
}

/** The evaluator's contract: float32 input of its preprocessing's shape, and an output of `width`. */
export function evaluatorContract(rules: EvaluatorRules, classes: number | null) {
  return {
    inputType: 'float32' as const,
    inputShape: inputShapeOf(rules.preprocess),
    classes,
    maxParameters: undefined,
    overLimit: 'reject' as const,
  };
}

export async function evaluatorOutputs(
  rules: EvaluatorRules,
  model: Uint8Array,
  images: readonly RgbImage[],
  providers: readonly string[],
): Promise<EvaluatorOutput> {
  const contract = checkModelContract(model, evaluatorContract(rules, null));
  const data = await imagesToTensor(images, rules.preprocess);
  try {
    const result = await runInference(
      model,
      { dtype: 'float32', shape: [images.length, ...inputShapeOf(rules.preprocess)], data },
      { inputName: contract.inputName, outputName: contract.outputName, batchSize: rules.batchSize, providers },
    );
    return {
      values: result.outputs,
      width: result.classes,
      provider: result.provider,
      inferenceMs: result.inferenceMs,
    };
  } catch (error) {
    if (error instanceof InferenceError)
      throw new EvaluatorFailure(`evaluator ${rules.name} (${rules.model}) failed: ${error.message}`);
    throw error;
  }
}
