/**
 * Reads NumPy .npy files (format version 1.0-3.0, C order, little-endian float32, float64 or uint8),
 * the format of a task's hidden model inputs and of FID reference statistics. The data is a view on
 * the file's bytes, not a copy. Writes float64 arrays (statistics computed at bundle upload).
 * Format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 */

export interface NpyArray {
  readonly dtype: 'float32' | 'float64' | 'uint8';
  readonly shape: readonly number[];
  readonly data: Float32Array | Float64Array | Uint8Array;
}

export class NpyError extends Error {
  override name = 'NpyError';
}

const DTYPES: Record<string, NpyArray['dtype']> = {
  '<f4': 'float32',
  '<f8': 'float64',
  '|u1': 'uint8',
  '<u1': 'uint8',
};
const ITEM_SIZES: Record<NpyArray['dtype'], number> = { float32: 4, float64: 8, uint8: 1 };

export interface NpyLayout {
  readonly dtype: NpyArray['dtype'];
  readonly shape: readonly number[];
  /** Byte offset of the data. */
  readonly dataStart: number;
}

/** Bytes needed to find the header's length (magic, version, length field). */
export const NPY_PREFIX_BYTES = 12;

/** Total header size (prefix and header text) from the first NPY_PREFIX_BYTES bytes. */
export function npyHeaderBytes(prefix: Uint8Array): number {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (prefix.length < 10 || magic.some((byte, i) => prefix[i] !== byte)) throw new NpyError('not a .npy file');
  const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  if (prefix[6] === 1) return 10 + view.getUint16(8, true);
  if (prefix.length < 12) throw new NpyError('not a .npy file');
  return 12 + view.getUint32(8, true);
}

/**
 * Reads and checks a .npy header: `head` holds at least the whole header, `totalBytes` is the file's
 * size, which must be exactly header plus data. Lets a large file be checked without reading its data.
 */
export function inspectNpy(head: Uint8Array, totalBytes: number): NpyLayout {
  const dataStart = npyHeaderBytes(head);
  if (head.length < dataStart) throw new NpyError('the .npy header is cut short');
  const headerStart = head[6] === 1 ? 10 : 12;
  const header = new TextDecoder('latin1').decode(head.subarray(headerStart, dataStart));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new NpyError(`unreadable .npy header: ${header}`);
  const dtype = DTYPES[descr];
  if (!dtype) throw new NpyError(`unsupported dtype ${descr}; use float32 ('<f4'), float64 ('<f8') or uint8`);
  if (fortran === 'True') throw new NpyError('Fortran-ordered arrays are not supported; save with C order');
  const shape = shapeText
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map(Number);
  const count = shape.reduce((product, dim) => product * dim, 1);
  const itemSize = ITEM_SIZES[dtype];
  if (totalBytes - dataStart !== count * itemSize)
    throw new NpyError(`.npy holds ${totalBytes - dataStart} data bytes, its shape needs ${count * itemSize}`);
  return { dtype, shape, dataStart };
}

export function readNpy(file: Uint8Array): NpyArray {
  const { dtype, shape, dataStart } = inspectNpy(file, file.length);
  const count = shape.reduce((product, dim) => product * dim, 1);
  const offset = file.byteOffset + dataStart;
  if (dtype === 'uint8') return { dtype, shape, data: new Uint8Array(file.buffer, offset, count) };
  // Typed arrays need aligned offsets; copy in the rare case the header length breaks it.
  if (dtype === 'float64') {
    const data =
      offset % 8 === 0 ? new Float64Array(file.buffer, offset, count) : new Float64Array(file.slice(dataStart).buffer);
    return { dtype, shape, data };
  }
  const data =
    offset % 4 === 0 ? new Float32Array(file.buffer, offset, count) : new Float32Array(file.slice(dataStart).buffer);
  return { dtype, shape, data };
}

/** A float64 array as .npy version 1.0, its header padded so the data starts 64-byte aligned. */
export function writeNpyFloat64(shape: readonly number[], data: Float64Array): Uint8Array {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${dims}), }`;
  header += `${' '.repeat(63 - ((10 + header.length) % 64))}\n`;
  const bytes = new Uint8Array(10 + header.length + data.byteLength);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8], 0);
  bytes.set(new TextEncoder().encode(header), 10);
  bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return bytes;
}
