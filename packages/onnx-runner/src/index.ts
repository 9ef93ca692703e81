export { argmaxRows, InferenceError, runInference, type InferenceOptions, type InferenceResult } from './inference.ts';
export { checkModelContract, DEFAULT_OPSETS, IR_VERSIONS, type ContractResult, type ModelContract } from './model-contract.ts';
export { NpyError, readNpy, type NpyArray } from './npy.ts';
export { OnnxFormatError, readOnnxModel, type OnnxModelInfo, type TensorInfo } from './onnx-model.ts';
