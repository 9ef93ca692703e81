/**
 * Reads the regular files out of a .tar.gz as a stream (tar-stream over zlib), for task bundles
 * uploaded as one archive of up to hundreds of megabytes. Nothing is extracted by name onto the file
 * system: the caller decides which entries it wants and where their bytes go, so path traversal
 * (`../`, absolute names), links and device files cannot touch it. Limits on the inflated size and the
 * entry count stop decompression bombs while they inflate.
 */
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';

export class ArchiveError extends Error {
  override name = 'ArchiveError';
}

export interface ArchiveLimits {
  readonly maxInflatedBytes: number;
  readonly maxEntries: number;
}

/** Where the bytes of a wanted entry go; null skips the entry. */
export type EntrySink = (name: string, size: number) => Writable | null;

const ENTRY_TYPES_ALLOWED = new Set(['file', 'directory', 'pax-header', 'pax-global-header']);

/** `./name` and `name` are the same entry; absolute and climbing names are refused. */
function safeName(raw: string): string {
  const name = raw.replace(/^(\.\/)+/, '');
  if (name.startsWith('/') || name.split('/').includes('..')) throw new ArchiveError(`Unsafe path in archive: ${raw}`);
  return name;
}

function inflatedLimit(limit: number): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      if (total > limit) callback(new ArchiveError(`The archive inflates to more than ${limit} bytes.`));
      else callback(null, chunk);
    },
  });
}

/**
 * Streams the archive through gunzip and tar, handing each regular file to `sink`; resolves with the
 * names of every regular file seen. Rejects with ArchiveError for anything unsafe or malformed.
 */
export async function unpackTarGz(source: Readable, sink: EntrySink, limits: ArchiveLimits): Promise<string[]> {
  const extract = tar.extract();
  const names: string[] = [];
  let entries = 0;
  extract.on('entry', (header, stream, next) => {
    const fail = (error: Error) => {
      // The entry stream is destroyed with the archive; its error is the archive's, reported once.
      stream.on('error', () => undefined);
      extract.destroy(error);
    };
    if (++entries > limits.maxEntries)
      return fail(new ArchiveError(`The archive has more than ${limits.maxEntries} entries.`));
    let name: string;
    try {
      name = safeName(header.name);
    } catch (error) {
      return fail(error as Error);
    }
    const type = header.type ?? 'file';
    if (!ENTRY_TYPES_ALLOWED.has(type)) {
      return fail(new ArchiveError(`Unsupported entry ${name} (${type}): only regular files and folders are allowed.`));
    }
    if (type !== 'file' || name.endsWith('/')) {
      stream.on('end', next);
      stream.resume();
      return;
    }
    names.push(name);
    const target = sink(name, header.size ?? 0);
    if (!target) {
      stream.on('end', next);
      stream.resume();
      return;
    }
    pipeline(stream, target).then(
      () => next(),
      (error: Error) => fail(error),
    );
  });
  try {
    await pipeline(source, createGunzip(), inflatedLimit(limits.maxInflatedBytes), extract);
  } catch (error) {
    if (error instanceof ArchiveError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (
      code === 'Z_DATA_ERROR' ||
      code === 'Z_BUF_ERROR' ||
      /incorrect header|unexpected end/i.test((error as Error).message)
    ) {
      throw new ArchiveError('The archive is not valid gzip, or it is truncated.');
    }
    if (/tar|header|Invalid/i.test((error as Error).message))
      throw new ArchiveError(`The archive is not a valid tar: ${(error as Error).message}`);
    throw error;
  }
  return names;
}
