/**
 * Runs a model over hidden inputs in batches with onnxruntime-node. Execution providers are tried in
 * the configured order (cuda, webgpu, ... cpu last) and the one that loaded is reported, so every
 * score records where it was computed. `session.run` is synchronous native code: call this from a child
 * process, never from a process that must stay responsive.
 */
import type * as Ort from 'onnxruntime-node';
import type { NpyArray } from './npy.ts';

export interface InferenceOptions {
  readonly inputName: string;
  readonly outputName: string;
  readonly batchSize: number;
  /** Preference order; "cpu" is always tried last. */
  readonly providers: readonly string[];
  readonly intraOpThreads?: number;
}

export interface InferenceResult {
  /** Row-major [rows, classes]. */
  readonly outputs: Float32Array;
  readonly classes: number;
  readonly provider: string;
  readonly sessionMs: number;
  readonly inferenceMs: number;
}

export class InferenceError extends Error {
  override name = 'InferenceError';

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let runtime: Promise<typeof Ort> | undefined;

/**
 * onnxruntime-node, loaded on first use: its native library is large, and a process that scores only
 * prediction files (or `mljudge score` on a CSV) never needs it.
 */
export function onnxRuntime(): Promise<typeof Ort> {
  runtime ??= import('onnxruntime-node').then((module) => {
    const ort = (module as { default?: typeof Ort }).default ?? module;
    // Probing a provider whose libraries are absent (cuda on a CPU machine) logs a native error before
    // the fallback; our own messages carry every reason that matters, so only fatal errors are printed.
    ort.env.logLevel = 'fatal';
    return ort;
  });
  return runtime;
}

async function createSession(
  ort: typeof Ort,
  model: Uint8Array,
  options: InferenceOptions,
): Promise<{ session: Ort.InferenceSession; provider: string }> {
  const preference = [...options.providers.filter((provider) => provider !== 'cpu'), 'cpu'];
  let lastError: unknown;
  for (const provider of preference) {
    try {
      const session = await ort.InferenceSession.create(model, {
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        // A provider whose libraries are missing logs at error level before we fall back; only the last try may speak.
        logSeverityLevel: provider === 'cpu' ? 2 : 4,
        ...(options.intraOpThreads ? { intraOpNumThreads: options.intraOpThreads } : {}),
      });
      return { session, provider };
    } catch (error) {
      lastError = error;
    }
  }
  throw new InferenceError(
    'ONNX_SESSION',
    `The model could not be loaded: ${(lastError as Error)?.message ?? lastError}`,
  );
}

export async function runInference(
  model: Uint8Array,
  inputs: NpyArray,
  options: InferenceOptions,
): Promise<InferenceResult> {
  const ort = await onnxRuntime();
  const started = performance.now();
  const { session, provider } = await createSession(ort, model, options);
  const sessionMs = performance.now() - started;
  try {
    const rows = inputs.shape[0]!;
    const rowSize = inputs.shape.slice(1).reduce((product, dim) => product * dim, 1);
    let outputs: Float32Array | null = null;
    let classes = 0;
    const inferenceStarted = performance.now();
    for (let start = 0; start < rows; start += options.batchSize) {
      const count = Math.min(options.batchSize, rows - start);
      const data = inputs.data.subarray(start * rowSize, (start + count) * rowSize);
      const tensor = new ort.Tensor(inputs.dtype, data, [count, ...inputs.shape.slice(1)]);
      const result = await runBatch(session, { [options.inputName]: tensor }, start, count);
      const output = result[options.outputName];
      if (!output)
        throw new InferenceError('ONNX_OUTPUT', `The model produced no output named "${options.outputName}".`);
      if (output.type !== 'float32')
        throw new InferenceError(
          'ONNX_OUTPUT',
          `Output "${options.outputName}" is ${output.type}; this task reads float32 logits.`,
        );
      if (output.dims.length !== 2 || output.dims[0] !== count) {
        throw new InferenceError(
          'ONNX_OUTPUT',
          `Output "${options.outputName}" has shape [${output.dims.join(', ')}] for a batch of ${count}; expected [${count}, classes].`,
        );
      }
      classes = output.dims[1]!;
      outputs ??= new Float32Array(rows * classes);
      const values = output.data as Float32Array;
      for (let i = 0; i < values.length; i++) {
        if (!Number.isFinite(values[i]!))
          throw new InferenceError(
            'ONNX_NON_FINITE_OUTPUT',
            `The model output ${values[i]} for input row ${start + Math.floor(i / classes)}; every logit must be finite.`,
          );
      }
      outputs.set(values, start * classes);
      for (const value of Object.values(result)) value.dispose();
    }
    return {
      outputs: outputs ?? new Float32Array(0),
      classes,
      provider,
      sessionMs,
      inferenceMs: performance.now() - inferenceStarted,
    };
  } finally {
    await session.release();
  }
}

/**
 * One batch through the session. A model that loads but cannot run (a batch size fixed at export, a
 * Reshape that does not fit, an allocation onnxruntime refuses) is the student's to fix: it is
 * rejected with onnxruntime's own words, never retried.
 */
async function runBatch(
  session: Ort.InferenceSession,
  feeds: Ort.InferenceSession.FeedsType,
  start: number,
  count: number,
) {
  try {
    return await session.run(feeds);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InferenceError(
      'ONNX_RUNTIME',
      `The model failed on input rows ${start}..${start + count - 1} (a batch of ${count}): ${reason.slice(0, 600)}`,
    );
  }
}

/** Index of the largest logit of each row (the first one on ties). */
export function argmaxRows(outputs: Float32Array, classes: number): Int32Array {
  const rows = classes === 0 ? 0 : outputs.length / classes;
  const result = new Int32Array(rows);
  for (let row = 0; row < rows; row++) {
    let best = 0;
    const base = row * classes;
    for (let c = 1; c < classes; c++) if (outputs[base + c]! > outputs[base + best]!) best = c;
    result[row] = best;
  }
  return result;
}
