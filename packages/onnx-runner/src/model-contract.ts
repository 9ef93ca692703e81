/**
 * Checks a submitted model against a task's contract before anything runs: a well-formed ONNX file,
 * supported IR and opset versions, standard operators only (no custom-op domains, which would need code
 * from outside the model), no external-data references, sane declared shapes, the parameter budget,
 * and one input and one output that fit the hidden inputs.
 */
import { SubmissionRejection } from '@mljudge/formats';
import { OnnxFormatError, readOnnxModel, type OnnxModelInfo, type TensorInfo } from './onnx-model.ts';

export interface ModelContract {
  /** Element type of the input, e.g. float32. */
  readonly inputType: 'float32' | 'uint8';
  /** Input shape without the batch dimension, e.g. [3, 32, 32]. */
  readonly inputShape: readonly number[];
  /** Classes the model must output logits for; null takes any width (an evaluator's features). */
  readonly classes: number | null;
  readonly maxParameters: number | undefined;
  /** What happens over the parameter budget: rejected, or scored 0. */
  readonly overLimit: 'reject' | 'zero';
}

export const IR_VERSIONS = { min: 3, max: 10 } as const;
export const DEFAULT_OPSETS = { min: 7, max: 22 } as const;
const STANDARD_DOMAINS = new Set(['', 'ai.onnx', 'ai.onnx.ml']);
const MAX_DECLARED_DIMENSION = 1 << 24;

function reject(code: string, message: string, expected?: string, found?: string): never {
  throw new SubmissionRejection({ code, message, ...(expected ? { expected } : {}), ...(found ? { found } : {}) });
}

const describeShape = (tensor: TensorInfo) =>
  tensor.shape ? `[${tensor.shape.map((d) => (d === null ? '?' : d)).join(', ')}]` : 'no declared shape';

export interface ContractResult {
  readonly info: OnnxModelInfo;
  readonly inputName: string;
  readonly outputName: string;
  /** True when the model is over the parameter budget and the task scores that as 0. */
  readonly scoreZero: boolean;
}

export function checkModelContract(bytes: Uint8Array, contract: ModelContract): ContractResult {
  let info: OnnxModelInfo;
  try {
    info = readOnnxModel(bytes);
  } catch (error) {
    if (error instanceof OnnxFormatError)
      reject(
        'ONNX_INVALID',
        `${error.message} Export the model with torch.onnx.export or onnx.save.`,
        'an ONNX model file (.onnx)',
      );
    throw error;
  }
  if (info.irVersion < IR_VERSIONS.min || info.irVersion > IR_VERSIONS.max) {
    reject(
      'ONNX_VERSION',
      `The model has IR version ${info.irVersion}; this grader runs ${IR_VERSIONS.min} to ${IR_VERSIONS.max}.`,
      `IR ${IR_VERSIONS.min}-${IR_VERSIONS.max}`,
      String(info.irVersion),
    );
  }
  const defaultOpset = info.opsets.find((opset) => opset.domain === '' || opset.domain === 'ai.onnx');
  if (!defaultOpset || defaultOpset.version < DEFAULT_OPSETS.min || defaultOpset.version > DEFAULT_OPSETS.max) {
    reject(
      'ONNX_VERSION',
      `The model uses opset ${defaultOpset?.version ?? 'none'}; export with an opset from ${DEFAULT_OPSETS.min} to ${DEFAULT_OPSETS.max} (torch.onnx.export(..., opset_version=17)).`,
      `opset ${DEFAULT_OPSETS.min}-${DEFAULT_OPSETS.max}`,
    );
  }
  const custom = [...info.operatorDomains, ...info.opsets.map((opset) => opset.domain)].filter(
    (domain) => !STANDARD_DOMAINS.has(domain),
  );
  if (custom.length > 0 || info.hasLocalFunctions) {
    reject(
      'ONNX_CUSTOM_OP',
      `The model uses operators outside the standard ONNX domains (${[...new Set(custom)].join(', ') || 'model-local functions'}); only standard operators can run here.`,
      'standard ONNX operators',
    );
  }
  if (info.usesExternalData)
    reject(
      'ONNX_EXTERNAL_DATA',
      'The model keeps weights in an external file; save it as one file (onnx.save(model, path) without save_as_external_data).',
      'all weights inside the .onnx file',
    );
  for (const tensor of [...info.inputs, ...info.outputs]) {
    const dims = (tensor.shape ?? []).filter((d): d is number => typeof d === 'number');
    if (
      dims.some((d) => d > MAX_DECLARED_DIMENSION) ||
      dims.reduce((product, d) => product * Math.max(d, 1), 1) > 2 ** 31
    ) {
      reject(
        'ONNX_SHAPE_TOO_LARGE',
        `Tensor "${tensor.name}" declares the shape ${describeShape(tensor)}, far larger than this task needs.`,
      );
    }
  }
  let scoreZero = false;
  if (contract.maxParameters !== undefined && info.parameterCount > contract.maxParameters) {
    if (contract.overLimit === 'reject') {
      reject(
        'ONNX_TOO_MANY_PARAMETERS',
        `The model has ${info.parameterCount.toLocaleString('en')} parameters; this task allows at most ${contract.maxParameters.toLocaleString('en')}.`,
        `at most ${contract.maxParameters} parameters`,
        String(info.parameterCount),
      );
    }
    scoreZero = true;
  }
  if (info.inputs.length !== 1)
    reject('ONNX_INPUT', `The model has ${info.inputs.length} inputs; it needs exactly one.`, '1 input');
  const input = info.inputs[0]!;
  const expectedShape = `[batch, ${contract.inputShape.join(', ')}]`;
  if (input.elementType !== contract.inputType)
    reject(
      'ONNX_INPUT',
      `Input "${input.name}" is ${input.elementType}; this task feeds ${contract.inputType}.`,
      contract.inputType,
      input.elementType,
    );
  if (input.shape && input.shape.length !== contract.inputShape.length + 1) {
    reject(
      'ONNX_INPUT',
      `Input "${input.name}" has rank ${input.shape.length} ${describeShape(input)}; this task feeds ${expectedShape}.`,
      expectedShape,
      describeShape(input),
    );
  }
  input.shape?.slice(1).forEach((dimension, index) => {
    if (typeof dimension === 'number' && dimension !== contract.inputShape[index]) {
      reject(
        'ONNX_INPUT',
        `Input "${input.name}" has shape ${describeShape(input)}; this task feeds ${expectedShape}.`,
        expectedShape,
        describeShape(input),
      );
    }
  });
  if (info.outputs.length < 1)
    reject('ONNX_OUTPUT', 'The model has no output.', `logits of shape [batch, ${contract.classes ?? 'n'}]`);
  const output = info.outputs[0]!;
  if (
    output.shape &&
    (output.shape.length !== 2 ||
      (typeof output.shape[1] === 'number' && contract.classes !== null && output.shape[1] !== contract.classes))
  ) {
    reject(
      'ONNX_OUTPUT',
      `Output "${output.name}" has shape ${describeShape(output)}; this task reads logits of shape [batch, ${contract.classes}].`,
      `[batch, ${contract.classes}]`,
      describeShape(output),
    );
  }
  return { info, inputName: input.name, outputName: output.name, scoreZero };
}
