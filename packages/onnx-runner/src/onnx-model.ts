/**
 * Reads what the grader needs to know about an ONNX model from its protobuf bytes: IR and opset
 * versions, graph inputs and outputs with their element types and shapes, the parameter count of the
 * initializers, operator domains, and whether any tensor points to external data. Field numbers are
 * those of onnx.proto (ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto, TypeProto).
 */
import { eachField, packedVarints, ProtobufError, text, type Field } from './protobuf-reader.ts';

/** TensorProto.DataType values used in input contracts. */
export const ELEMENT_TYPES: Readonly<Record<number, string>> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  16: 'bfloat16',
};

/** A dimension: a fixed size, a symbolic name, or unknown. */
export type Dimension = number | string | null;

export interface TensorInfo {
  readonly name: string;
  readonly elementType: string;
  /** Null when the model declares no shape. */
  readonly shape: readonly Dimension[] | null;
}

export interface OnnxModelInfo {
  readonly irVersion: number;
  readonly opsets: ReadonlyArray<{ readonly domain: string; readonly version: number }>;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  readonly parameterCount: number;
  readonly nodeCount: number;
  /** Domains of every operator, including inside subgraphs (If, Loop, Scan). */
  readonly operatorDomains: ReadonlySet<string>;
  readonly usesExternalData: boolean;
  readonly hasLocalFunctions: boolean;
}

export class OnnxFormatError extends Error {
  override name = 'OnnxFormatError';
}

function tensorShape(bytes: Uint8Array): Dimension[] {
  const dims: Dimension[] = [];
  eachField(bytes, (field) => {
    if (field.number !== 1) return;
    let dimension: Dimension = null;
    eachField(field.bytes, (part) => {
      if (part.number === 1) dimension = part.value;
      else if (part.number === 2) dimension = text(part);
    });
    dims.push(dimension);
  });
  return dims;
}

function valueInfo(bytes: Uint8Array): TensorInfo {
  let name = '';
  let elementType = 'unknown';
  let shape: Dimension[] | null = null;
  eachField(bytes, (field) => {
    if (field.number === 1) name = text(field);
    else if (field.number === 2) {
      eachField(field.bytes, (type) => {
        if (type.number !== 1) {
          elementType = 'not-a-tensor';
          return;
        }
        eachField(type.bytes, (tensor) => {
          if (tensor.number === 1) elementType = ELEMENT_TYPES[tensor.value] ?? `type-${tensor.value}`;
          else if (tensor.number === 2) shape = tensorShape(tensor.bytes);
        });
      });
    }
  });
  return { name, elementType, shape };
}

interface GraphTally {
  parameters: number;
  nodes: number;
  domains: Set<string>;
  external: boolean;
}

function tensor(bytes: Uint8Array, tally: GraphTally): string {
  let elements = 1;
  let name = '';
  eachField(bytes, (field) => {
    if (field.number === 1) for (const dim of packedVarints(field)) elements *= dim;
    else if (field.number === 8) name = text(field);
    else if (field.number === 13) tally.external = true;
    else if (field.number === 14 && field.value === 1) tally.external = true;
  });
  tally.parameters += elements;
  return name;
}

/** Subgraphs (If, Loop, Scan) count like the main graph; attribute tensors (Constant) only for external data. */
function attribute(bytes: Uint8Array, tally: GraphTally): void {
  eachField(bytes, (field) => {
    if (field.number === 6 || field.number === 11) graph(field.bytes, tally);
    else if (field.number === 5 || field.number === 10) {
      eachField(field.bytes, (part) => {
        if (part.number === 13 || (part.number === 14 && part.value === 1)) tally.external = true;
      });
    }
  });
}

function node(bytes: Uint8Array, tally: GraphTally): void {
  tally.nodes++;
  let domain = '';
  eachField(bytes, (field) => {
    if (field.number === 7) domain = text(field);
    else if (field.number === 5) attribute(field.bytes, tally);
  });
  tally.domains.add(domain);
}

function graph(
  bytes: Uint8Array,
  tally: GraphTally,
  io?: { inputs: TensorInfo[]; outputs: TensorInfo[]; initializers: Set<string> },
): void {
  eachField(bytes, (field) => {
    switch (field.number) {
      case 1:
        node(field.bytes, tally);
        break;
      case 5:
        io?.initializers.add(tensor(field.bytes, tally));
        break;
      case 11:
        io?.inputs.push(valueInfo(field.bytes));
        break;
      case 12:
        io?.outputs.push(valueInfo(field.bytes));
        break;
      default:
        break;
    }
  });
}

/** Parses an ONNX model. Throws OnnxFormatError for anything that is not a well-formed ModelProto. */
export function readOnnxModel(bytes: Uint8Array): OnnxModelInfo {
  let irVersion = 0;
  const opsets: Array<{ domain: string; version: number }> = [];
  let graphBytes: Uint8Array | null = null;
  let hasLocalFunctions = false;
  try {
    eachField(bytes, (field: Field) => {
      if (field.number === 1) irVersion = field.value;
      else if (field.number === 7) graphBytes = field.bytes;
      else if (field.number === 25) hasLocalFunctions = true;
      else if (field.number === 8) {
        let domain = '';
        let version = 0;
        eachField(field.bytes, (part) => {
          if (part.number === 1) domain = text(part);
          else if (part.number === 2) version = part.value;
        });
        opsets.push({ domain, version });
      }
    });
    if (graphBytes === null || irVersion === 0)
      throw new OnnxFormatError('This file is not an ONNX model (no graph or IR version found).');
    const tally: GraphTally = { parameters: 0, nodes: 0, domains: new Set(), external: false };
    const io = { inputs: [] as TensorInfo[], outputs: [] as TensorInfo[], initializers: new Set<string>() };
    graph(graphBytes, tally, io);
    return {
      irVersion,
      opsets,
      // Graph inputs that are also initializers are weights with defaults, not data inputs.
      inputs: io.inputs.filter((input) => !io.initializers.has(input.name)),
      outputs: io.outputs,
      parameterCount: tally.parameters,
      nodeCount: tally.nodes,
      operatorDomains: tally.domains,
      usesExternalData: tally.external,
      hasLocalFunctions,
    };
  } catch (error) {
    if (error instanceof ProtobufError)
      throw new OnnxFormatError(`This file is not a valid ONNX model (${error.message}).`);
    throw error;
  }
}
