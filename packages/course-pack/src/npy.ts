/**
 * Writes integer rows as a NumPy .npy file (format version 1.0: magic, header length, a Python-literal
 * header padded to 64 bytes, then little-endian int64 data), each row padded with -1 to the longest.
 * Format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 */
export function npyInt64Rows(rows: readonly (readonly number[])[]): Uint8Array {
  const steps = Math.max(1, ...rows.map((row) => row.length));
  let header = `{'descr': '<i8', 'fortran_order': False, 'shape': (${rows.length}, ${steps}), }`;
  header += `${' '.repeat(64 - ((10 + header.length + 1) % 64))}\n`;
  const bytes = new Uint8Array(10 + header.length + rows.length * steps * 8);
  bytes.set([0x93, ...Buffer.from('NUMPY'), 1, 0, header.length & 0xff, header.length >> 8], 0);
  bytes.set(Buffer.from(header, 'latin1'), 10);
  const data = new DataView(bytes.buffer, 10 + header.length);
  rows.forEach((row, index) => {
    for (let step = 0; step < steps; step++)
      data.setBigInt64((index * steps + step) * 8, BigInt(row[step] ?? -1), true);
  });
  return bytes;
}
