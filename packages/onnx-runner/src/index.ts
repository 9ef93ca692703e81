export { argmaxRows, InferenceError, runInference, type InferenceOptions, type InferenceResult } from './inference.ts';
export { checkModelContract, type ContractResult, type ModelContract } from './model-contract.ts';
export {
  inspectNpy,
  npyHeaderBytes,
  NpyError,
  NPY_PREFIX_BYTES,
  readNpy,
  writeNpyFloat64,
  type NpyArray,
  type NpyLayout,
} from './npy.ts';
