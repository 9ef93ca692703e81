/**
 * Artifacts and hidden task data on a directory tree (a local disk, or a shared mount such as NFS when
 * several machines run workers). Writes stream to a temporary file in the same directory and are
 * renamed into place, so a reader never sees half a file and a crash leaves only a `.part` to sweep.
 * Everything is private to the service's user (folders 0700, files 0600): the hidden labels are here.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export class UploadTooLargeError extends Error {
  override name = 'UploadTooLargeError';

  constructor(readonly limitBytes: number) {
    super(`The upload exceeds the limit of ${limitBytes} bytes.`);
  }
}

export class StorageKeyError extends Error {
  override name = 'StorageKeyError';
}

export interface StoredObject {
  readonly key: string;
  readonly bytes: number;
  readonly sha256: string;
}

const DIRECTORY_MODE = 0o700;
const FILE_MODE = 0o600;
/** A temporary file's name: `<final name>.<uuid>.part`. */
export const PART_SUFFIX = '.part';

const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

export class LocalStorage {
  constructor(readonly root: string) {}

  /** Absolute path of a key. Keys are relative, slash-separated, and may not climb out of the root. */
  pathOf(key: string): string {
    if (!KEY_PATTERN.test(key) || key.split('/').some((part) => part === '..' || part === '.'))
      throw new StorageKeyError(`Invalid storage key: ${key}`);
    return path.join(this.root, ...key.split('/'));
  }

  /**
   * Streams `source` to `key`, hashing as it goes, and stops with UploadTooLargeError as soon as
   * more than `maxBytes` arrive (nothing is kept in that case).
   */
  async writeStream(key: string, source: Readable, maxBytes: number): Promise<StoredObject> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true, mode: DIRECTORY_MODE });
    const partial = `${target}.${randomUUID()}${PART_SUFFIX}`;
    const hash = createHash('sha256');
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        if (bytes > maxBytes) {
          callback(new UploadTooLargeError(maxBytes));
          return;
        }
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, createWriteStream(partial, { flags: 'wx', mode: FILE_MODE }));
      // A multipart stream that hit its own size limit ends quietly with `truncated` set.
      if ((source as Readable & { truncated?: boolean }).truncated) throw new UploadTooLargeError(maxBytes);
      await rename(partial, target);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    return { key, bytes, sha256: hash.digest('hex') };
  }

  /** Writes a whole buffer atomically; a failed write leaves nothing behind, as writeStream's. */
  async writeBuffer(key: string, data: Uint8Array): Promise<StoredObject> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true, mode: DIRECTORY_MODE });
    const partial = `${target}.${randomUUID()}${PART_SUFFIX}`;
    try {
      await writeFile(partial, data, { flag: 'wx', mode: FILE_MODE });
      await rename(partial, target);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    return { key, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') };
  }

  /** A stream of an object's bytes (downloads). */
  readStream(key: string): ReadStream {
    return createReadStream(this.pathOf(key));
  }

  async read(key: string): Promise<Buffer> {
    return readFile(this.pathOf(key));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await stat(this.pathOf(key));
      return true;
    } catch {
      return false;
    }
  }

  /** The size of an object in bytes, or null when there is none. */
  async size(key: string): Promise<number | null> {
    try {
      return (await stat(this.pathOf(key))).size;
    } catch {
      return null;
    }
  }

  /** Moves an object to another key (a rename: both are on this storage's file system). */
  async move(fromKey: string, toKey: string): Promise<void> {
    const target = this.pathOf(toKey);
    await mkdir(path.dirname(target), { recursive: true, mode: DIRECTORY_MODE });
    await rename(this.pathOf(fromKey), target);
  }

  /**
   * Every file under `prefix` (a folder key), with its age: what the sweeper looks through. Partial
   * writes (`.part`) are listed too, by their own name.
   */
  async *files(prefix: string): AsyncGenerator<{ key: string; modifiedAt: Date }> {
    const root = this.pathOf(prefix);
    let entries;
    try {
      entries = await readdir(root, { withFileTypes: true, recursive: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const file = path.join(entry.parentPath, entry.name);
      const info = await stat(file).catch(() => null);
      if (!info) continue;
      yield { key: path.relative(this.root, file).split(path.sep).join('/'), modifiedAt: info.mtime };
    }
  }

  /** The folders directly under `prefix` with their age (staging areas, task folders). */
  async folders(prefix: string): Promise<Array<{ key: string; modifiedAt: Date }>> {
    const root = this.pathOf(prefix);
    const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
    const folders = [];
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const info = await stat(path.join(root, entry.name)).catch(() => null);
      if (info) folders.push({ key: `${prefix}/${entry.name}`, modifiedAt: info.mtime });
    }
    return folders;
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true, recursive: true });
  }
}

/** Storage layout, in one place so the api and the worker agree. */
export const storageKeys = {
  submission: (taskId: string, submissionId: string) => `submissions/${taskId}/${submissionId}`,
  taskBundle: (taskId: string, version: number) => `tasks/${taskId}/v${version}`,
  taskFile: (bundleKey: string, name: string) => `${bundleKey}/${name}`,
  /** Where an uploaded bundle waits while it is checked; removed afterwards, kept or not. */
  staging: (uploadId: string) => `staging/${uploadId}`,
} as const;
