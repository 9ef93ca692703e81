export { argmaxRows, InferenceError, runInference, type InferenceOptions, type InferenceResult } from './inference.ts';
export {
  checkModelContract,
  DEFAULT_OPSETS,
  IR_VERSIONS,
  type ContractResult,
  type ModelContract,
} from './model-contract.ts';
export {
  inspectNpy,
  npyHeaderBytes,
  NpyError,
  NPY_PREFIX_BYTES,
  readNpy,
  type NpyArray,
  type NpyLayout,
} from './npy.ts';
export { OnnxFormatError, readOnnxModel, type OnnxModelInfo, type TensorInfo } from './onnx-model.ts';
