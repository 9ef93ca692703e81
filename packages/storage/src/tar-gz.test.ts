import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ArchiveError, unpackTarGz } from './tar-gz.ts';

const limits = { maxInflatedBytes: 1024 * 1024, maxEntries: 100 };

/** Builds an archive with the system tar, the way a TA would. */
function tarGz(files: Record<string, string>, extra: (dir: string) => void = () => {}, args: string[] = ['.']): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), 'bundle-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  extra(dir);
  return execFileSync('tar', ['-czf', '-', '-C', dir, ...args]);
}

/** Unpacks into memory: every regular file's text by name. */
async function unpack(archive: Buffer, archiveLimits = limits): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  await unpackTarGz(
    Readable.from([archive]),
    (name) => {
      const chunks: Buffer[] = [];
      return new Writable({
        write(chunk: Buffer, _encoding, callback) {
          chunks.push(chunk);
          callback();
        },
        final(callback) {
          files.set(name, Buffer.concat(chunks).toString());
          callback();
        },
      });
    },
    archiveLimits,
  );
  return files;
}

function rawTar(name: string, type: string, body = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write('0000644\0', 100);
  header.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write(type, 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  header.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const padded = Buffer.concat([body, Buffer.alloc((512 - (body.length % 512)) % 512)]);
  return gzipSync(Buffer.concat([header, padded, Buffer.alloc(1024)]));
}

describe('unpackTarGz', () => {
  it('streams regular files by name, with or without a ./ prefix', async () => {
    const files = await unpack(tarGz({ 'task.yaml': 'slug: a\n', 'solution.csv': 'id,y,Usage\n' }));
    expect(files.get('task.yaml')).toBe('slug: a\n');
    expect(files.get('solution.csv')).toBe('id,y,Usage\n');
  });

  it('skips entries the sink does not want, without reading them into memory', async () => {
    const seen: string[] = [];
    await unpackTarGz(
      Readable.from([tarGz({ 'keep.txt': 'k', 'skip.bin': 'x'.repeat(100_000) })]),
      (name) => {
        seen.push(name);
        return name === 'keep.txt' ? new PassThrough().resume() : null;
      },
      limits,
    );
    expect(seen.sort()).toEqual(['keep.txt', 'skip.bin']);
  });

  it('rejects symbolic links', async () => {
    const archive = tarGz({ 'task.yaml': 'x' }, (dir) => symlinkSync('/etc/passwd', path.join(dir, 'solution.csv')));
    await expect(unpack(archive)).rejects.toThrow(/only regular files and folders/);
  });

  it.each([['../evil.csv'], ['/etc/evil.csv'], ['a/../../evil.csv']])('rejects the path %s', async (name) => {
    await expect(unpack(rawTar(name, '0', Buffer.from('x')))).rejects.toBeInstanceOf(ArchiveError);
  });

  it.each([
    ['1', 'a hard link'],
    ['3', 'a character device'],
    ['6', 'a FIFO'],
  ])('rejects entry type %s (%s)', async (type) => {
    await expect(unpack(rawTar('x.csv', type))).rejects.toThrow(/only regular files and folders/);
  });

  it('stops a decompression bomb while it inflates', async () => {
    const bomb = tarGz({ 'solution.csv': '0'.repeat(5 * 1024 * 1024) });
    expect(bomb.length).toBeLessThan(64 * 1024);
    await expect(unpack(bomb)).rejects.toThrow(/inflates to more than/);
  });

  it('stops an archive with too many entries', async () => {
    const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}.txt`, 'x']));
    await expect(unpack(tarGz(many), { maxInflatedBytes: limits.maxInflatedBytes, maxEntries: 10 })).rejects.toThrow(
      /more than 10 entries/,
    );
  });

  it('rejects data that is not gzip, and a truncated archive', async () => {
    await expect(unpack(Buffer.from('plain text'))).rejects.toThrow(/not valid gzip/);
    const archive = tarGz({ 'solution.csv': 'x'.repeat(10_000) });
    await expect(unpack(archive.subarray(0, archive.length - 40))).rejects.toBeInstanceOf(ArchiveError);
  });
});
