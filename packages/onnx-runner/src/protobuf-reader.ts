/**
 * A minimal protocol-buffers wire reader: enough to walk an ONNX model's fields without generated code
 * and without executing anything from the file. Unknown fields are skipped by wire type. Varints are
 * read as JavaScript numbers; values above 2^53 (never legitimate for ONNX dims or counts) become
 * Infinity so callers can reject them.
 */

export class ProtobufError extends Error {
  override name = 'ProtobufError';
}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_FIXED32 = 5;

export interface Field {
  readonly number: number;
  readonly wireType: number;
  /** For varints and fixed-width numbers. */
  readonly value: number;
  /** For length-delimited fields. */
  readonly bytes: Uint8Array;
}

const EMPTY = new Uint8Array(0);

export class ProtobufReader {
  private position = 0;

  constructor(private readonly buffer: Uint8Array) {}

  get done(): boolean {
    return this.position >= this.buffer.length;
  }

  private varint(): number {
    let result = 0;
    let multiplier = 1;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.position >= this.buffer.length) throw new ProtobufError('truncated varint');
      const byte = this.buffer[this.position++]!;
      result += (byte & 0x7f) * multiplier;
      multiplier *= 128;
      if ((byte & 0x80) === 0) return result > Number.MAX_SAFE_INTEGER ? Infinity : result;
    }
    throw new ProtobufError('varint longer than 10 bytes');
  }

  /** The next field, or null at the end of the message. */
  next(): Field | null {
    if (this.done) return null;
    const key = this.varint();
    const number = Math.floor(key / 8);
    const wireType = key % 8;
    if (number === 0) throw new ProtobufError('field number 0');
    switch (wireType) {
      case WIRE_VARINT:
        return { number, wireType, value: this.varint(), bytes: EMPTY };
      case WIRE_FIXED64: {
        this.need(8);
        const view = new DataView(this.buffer.buffer, this.buffer.byteOffset + this.position, 8);
        this.position += 8;
        return { number, wireType, value: view.getFloat64(0, true), bytes: EMPTY };
      }
      case WIRE_BYTES: {
        const length = this.varint();
        this.need(length);
        const bytes = this.buffer.subarray(this.position, this.position + length);
        this.position += length;
        return { number, wireType, value: 0, bytes };
      }
      case WIRE_FIXED32: {
        this.need(4);
        const view = new DataView(this.buffer.buffer, this.buffer.byteOffset + this.position, 4);
        this.position += 4;
        return { number, wireType, value: view.getFloat32(0, true), bytes: EMPTY };
      }
      default:
        throw new ProtobufError(`unsupported wire type ${wireType}`);
    }
  }

  private need(length: number): void {
    if (!Number.isFinite(length) || this.position + length > this.buffer.length)
      throw new ProtobufError('field runs past the end of the message');
  }
}

/** Calls `visit` for every field of a message. */
export function eachField(bytes: Uint8Array, visit: (field: Field) => void): void {
  const reader = new ProtobufReader(bytes);
  for (let field = reader.next(); field; field = reader.next()) visit(field);
}

/** The varints of a packed repeated field (or a single unpacked value). */
export function packedVarints(field: Field): number[] {
  if (field.wireType === WIRE_VARINT) return [field.value];
  const values: number[] = [];
  // A packed field is a bare sequence of varints without keys.
  let position = 0;
  const buffer = field.bytes;
  while (position < buffer.length) {
    let result = 0;
    let multiplier = 1;
    for (;;) {
      if (position >= buffer.length) throw new ProtobufError('truncated packed varint');
      const byte = buffer[position++]!;
      result += (byte & 0x7f) * multiplier;
      multiplier *= 128;
      if ((byte & 0x80) === 0) break;
      if (multiplier > 2 ** 70) throw new ProtobufError('varint longer than 10 bytes');
    }
    values.push(result > Number.MAX_SAFE_INTEGER ? Infinity : result);
  }
  return values;
}

export const text = (field: Field): string => new TextDecoder('utf-8', { fatal: false }).decode(field.bytes);
