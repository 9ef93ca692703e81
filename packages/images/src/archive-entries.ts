/**
 * The files of an uploaded image archive, read in memory (uploads are a few megabytes): a gzip'd tar
 * through tar-stream, a zip through yauzl. Nothing is ever written to disk, so names cannot climb
 * out of anywhere; the inflated size, each entry's size and the number of entries are bounded while
 * the archive inflates, so a decompression bomb stops at the first byte past the limit.
 */
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { SubmissionRejection } from '@mljudge/formats';
import tar from 'tar-stream';
import yauzl from 'yauzl';

export interface ArchiveEntry {
  /** The name as stored, `./` prefixes removed; folders separated by `/`. */
  readonly name: string;
  readonly bytes: Buffer;
}

export interface ArchiveLimits {
  /** Regular files at most (folders are not counted). */
  readonly maxFiles: number;
  readonly maxInflatedBytes: number;
}

export type ArchiveKind = 'tar.gz' | 'zip';

const reject = (code: string, message: string, extra: { expected?: string; found?: string } = {}): never => {
  throw new SubmissionRejection({ code, message, ...extra });
};

/** macOS and Windows add these to archives made from their file managers; they are not the student's files. */
export function isSystemMetadata(name: string): boolean {
  const parts = name.split('/');
  const base = parts.at(-1)!;
  return parts[0] === '__MACOSX' || base === '.DS_Store' || base.startsWith('._') || base === 'Thumbs.db';
}

/** Which container the bytes are, by their magic number (not the file name the student chose). */
export function archiveKindOf(bytes: Uint8Array): ArchiveKind | null {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'tar.gz';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05)) return 'zip';
  return null;
}

function safeName(raw: string): string {
  const name = raw.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.split('/').includes('..'))
    reject('ARCHIVE_UNSAFE_PATH', `The archive holds "${raw.slice(0, 200)}", a path outside the archive.`, {
      expected: 'relative names without ..',
    });
  return name;
}

class Budget {
  private files = 0;
  private bytes = 0;

  constructor(private readonly limits: ArchiveLimits) {}

  file(): void {
    if (++this.files > this.limits.maxFiles)
      reject('ARCHIVE_TOO_MANY_FILES', `The archive holds more than ${this.limits.maxFiles} files.`, {
        expected: `at most ${this.limits.maxFiles} files`,
      });
  }

  inflate(length: number): void {
    this.bytes += length;
    if (this.bytes > this.limits.maxInflatedBytes)
      reject(
        'ARCHIVE_TOO_LARGE_INFLATED',
        `The archive inflates to more than ${this.limits.maxInflatedBytes} bytes; images of this task are far smaller.`,
        { expected: `at most ${this.limits.maxInflatedBytes} bytes inflated` },
      );
  }
}

const TAR_TYPES_SKIPPED = new Set(['directory', 'pax-header', 'pax-global-header']);

async function tarEntries(bytes: Uint8Array, budget: Budget): Promise<ArchiveEntry[]> {
  const entries: ArchiveEntry[] = [];
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const fail = (error: unknown) => {
      stream.on('error', () => undefined);
      extract.destroy(error as Error);
    };
    try {
      const type = header.type ?? 'file';
      const name = safeName(header.name);
      if (TAR_TYPES_SKIPPED.has(type) || (type === 'file' && name.endsWith('/'))) {
        stream.on('end', next);
        stream.resume();
        return;
      }
      if (type !== 'file')
        reject('ARCHIVE_NOT_A_FILE', `The archive entry ${name} is a ${type}; only regular files and folders count.`, {
          expected: 'regular files',
          found: type,
        });
      budget.file();
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: unknown) => {
        chunks.push(chunk as Buffer);
      });
      stream.on('end', () => {
        entries.push({ name, bytes: Buffer.concat(chunks) });
        next();
      });
      stream.on('error', fail);
    } catch (error) {
      fail(error);
    }
  });
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        budget.inflate(chunk.length);
        callback(null, chunk);
      } catch (error) {
        callback(error as Error);
      }
    },
  });
  try {
    await pipeline(Readable.from([bytes]), createGunzip(), limit, extract);
  } catch (error) {
    if (error instanceof SubmissionRejection) throw error;
    reject('ARCHIVE_INVALID', `The file is not a valid .tar.gz: ${(error as Error).message.slice(0, 200)}.`, {
      expected: 'a gzip-compressed tar (tar czf submission.tgz ...)',
    });
  }
  return entries;
}

function openZip(bytes: Uint8Array): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject_) =>
    yauzl.fromBuffer(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      { lazyEntries: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: false },
      (error, zip) => (error ? reject_(error) : resolve(zip)),
    ),
  );
}

async function zipEntries(bytes: Uint8Array, budget: Budget): Promise<ArchiveEntry[]> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(bytes);
  } catch (error) {
    return reject('ARCHIVE_INVALID', `The file is not a valid .zip: ${(error as Error).message.slice(0, 200)}.`, {
      expected: 'a zip archive',
    });
  }
  const entries: ArchiveEntry[] = [];
  try {
    await new Promise<void>((resolve, fail) => {
      zip.on('error', fail);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        try {
          const name = safeName(entry.fileName);
          if (name.endsWith('/')) {
            zip.readEntry();
            return;
          }
          // Unix mode bits in the upper half of the external attributes: a symlink is refused.
          const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
          if (mode !== 0 && mode !== 0o100000)
            reject('ARCHIVE_NOT_A_FILE', `The archive entry ${name} is not a regular file (a link?).`, {
              expected: 'regular files',
            });
          budget.file();
          // Declared sizes are checked before inflating and, by yauzl, against what inflates.
          budget.inflate(entry.uncompressedSize);
        } catch (error) {
          fail(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        zip.openReadStream(entry, (error, stream) => {
          if (error) return fail(error);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', fail);
          stream.on('end', () => {
            entries.push({ name: safeName(entry.fileName), bytes: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  } catch (error) {
    if (error instanceof SubmissionRejection) throw error;
    reject('ARCHIVE_INVALID', `The .zip could not be read: ${(error as Error).message.slice(0, 200)}.`, {
      expected: 'a zip archive',
    });
  } finally {
    zip.close();
  }
  return entries;
}

/**
 * The regular files of a .tar.gz or .zip (told apart by content), in archive order, system metadata
 * (`__MACOSX/`, `.DS_Store`) left out. Throws SubmissionRejection for anything else.
 */
export async function readArchiveEntries(
  bytes: Uint8Array,
  accepted: readonly ArchiveKind[],
  limits: ArchiveLimits,
): Promise<ArchiveEntry[]> {
  const kind = archiveKindOf(bytes);
  if (!kind || !accepted.includes(kind))
    reject(
      'ARCHIVE_TYPE',
      `The upload is not ${accepted.map((a) => (a === 'zip' ? 'a .zip' : 'a .tar.gz (.tgz)')).join(' or ')}${kind ? ` (it is a ${kind})` : ''}.`,
      { expected: accepted.join(' or '), ...(kind ? { found: kind } : {}) },
    );
  const budget = new Budget(limits);
  const entries = kind === 'zip' ? await zipEntries(bytes, budget) : await tarEntries(bytes, budget);
  return entries.filter((entry) => !isSystemMetadata(entry.name));
}
