import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ArchiveError, readTarGz } from './tar-gz.ts';

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

describe('readTarGz', () => {
  it('returns regular files by name, with or without a ./ prefix', () => {
    const files = readTarGz(tarGz({ 'task.yaml': 'slug: a\n', 'solution.csv': 'id,y,Usage\n' }), limits);
    expect(files.get('task.yaml')?.toString()).toBe('slug: a\n');
    expect(files.get('solution.csv')?.toString()).toBe('id,y,Usage\n');
  });

  it('rejects symbolic links', () => {
    const archive = tarGz({ 'task.yaml': 'x' }, (dir) => symlinkSync('/etc/passwd', path.join(dir, 'solution.csv')));
    expect(() => readTarGz(archive, limits)).toThrow(/Unsupported entry type "2"/);
  });

  it('rejects path traversal names', () => {
    const header = Buffer.alloc(512);
    header.write('../evil.csv', 0);
    header.write('0000001\0', 124);
    header.write('0', 156);
    const archive = gzipSync(Buffer.concat([header, Buffer.alloc(512), Buffer.alloc(1024)]));
    expect(() => readTarGz(archive, limits)).toThrow(ArchiveError);
  });

  it('stops a decompression bomb at the inflated-size limit', () => {
    const bomb = tarGz({ 'solution.csv': '0'.repeat(5 * 1024 * 1024) });
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(() => readTarGz(bomb, limits)).toThrow(/inflates to more than/);
  });

  it('rejects data that is not gzip', () => {
    expect(() => readTarGz(Buffer.from('plain text'), limits)).toThrow(/not valid gzip/);
  });
});
