/**
 * Writes a .tar.gz from files in memory (tar-stream): what the course pack publishes (originals,
 * sample submissions) and what tests upload. Entries get fixed times and modes, so the same files
 * always make the same bytes.
 */
import { type Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';

export interface FileToPack {
  readonly name: string;
  readonly bytes: Uint8Array;
}

const EPOCH = new Date(0);

export async function writeTarGz(files: readonly FileToPack[]): Promise<Buffer> {
  const pack = tar.pack();
  const folders = new Set<string>();
  for (const file of files) {
    const parts = file.name.split('/');
    for (let depth = 1; depth < parts.length; depth++) {
      const folder = parts.slice(0, depth).join('/');
      if (folders.has(folder)) continue;
      folders.add(folder);
      pack.entry({ name: `${folder}/`, type: 'directory', mode: 0o755, mtime: EPOCH });
    }
    pack.entry({ name: file.name, size: file.bytes.length, mode: 0o644, mtime: EPOCH }, Buffer.from(file.bytes));
  }
  pack.finalize();
  return buffer((pack as unknown as Readable).pipe(createGzip({ level: 9 })));
}
