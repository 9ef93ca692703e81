/**
 * Reads regular files out of a .tar.gz held in memory, for task bundles uploaded as one archive.
 * Nothing is extracted to disk: entries are matched by name and returned as buffers, so path traversal
 * (`../`, absolute names), links and device files cannot touch the file system. Limits on the inflated
 * size and the entry count stop decompression bombs.
 */
import { gunzipSync } from 'node:zlib';

export class ArchiveError extends Error {
  override name = 'ArchiveError';
}

export interface ArchiveLimits {
  readonly maxInflatedBytes: number;
  readonly maxEntries: number;
}

const BLOCK = 512;

function field(header: Buffer, offset: number, length: number): string {
  const raw = header.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

function octal(header: Buffer, offset: number, length: number): number {
  const text = field(header, offset, length).trim();
  if (!/^[0-7]*$/.test(text)) throw new ArchiveError('Corrupt tar header (size is not octal).');
  return text === '' ? 0 : parseInt(text, 8);
}

/** Normalises an entry name: drops a leading `./` and one top-level folder if every entry shares it. */
function cleanName(name: string): string {
  return name.replace(/^\.\//, '');
}

/** Returns the regular files of the archive by (relative) name. Rejects unsafe names. */
export function readTarGz(archive: Uint8Array, limits: ArchiveLimits): Map<string, Buffer> {
  let tar: Buffer;
  try {
    tar = gunzipSync(archive, { maxOutputLength: limits.maxInflatedBytes });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || (error as Error).message.includes('maxOutputLength'))
      throw new ArchiveError(`The archive inflates to more than ${limits.maxInflatedBytes} bytes.`);
    throw new ArchiveError('The archive is not valid gzip.');
  }
  const files = new Map<string, Buffer>();
  let offset = 0;
  let entries = 0;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    if (++entries > limits.maxEntries)
      throw new ArchiveError(`The archive has more than ${limits.maxEntries} entries.`);
    const prefix = field(header, 345, 155);
    const name = cleanName(prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 0x30);
    const dataStart = offset + BLOCK;
    if (dataStart + size > tar.length) throw new ArchiveError('The archive is truncated.');
    if (name.startsWith('/') || name.split('/').includes('..'))
      throw new ArchiveError(`Unsafe path in archive: ${name}`);
    if (type === '0' || type === '\0') {
      if (!name.endsWith('/')) files.set(name, Buffer.from(tar.subarray(dataStart, dataStart + size)));
    } else if (type !== '5' && type !== 'x' && type !== 'g') {
      // Links, devices and FIFOs have no place in a bundle.
      throw new ArchiveError(
        `Unsupported entry type "${type}" for ${name}: only regular files and folders are allowed.`,
      );
    }
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
  }
  return files;
}
