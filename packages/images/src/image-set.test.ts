/**
 * The layout rules of an image archive, each violation its own rejection, on real .tar.gz and .zip
 * bytes (tar-stream and fflate write them here).
 */
import { type Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { createGzip, gzipSync } from 'node:zlib';
import { SubmissionRejection } from '@mljudge/formats';
import { zipSync } from 'fflate';
import sharp from 'sharp';
import tar from 'tar-stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeTarGz, type FileToPack } from './archive-writer.ts';
import { assertWithinLinf } from './distance.ts';
import { numberedNames, readImageSet, type ImageSetRules } from './image-set.ts';

let jpeg: Buffer;
let png: Buffer;
let otherSize: Buffer;

beforeAll(async () => {
  const raw = { raw: { width: 8, height: 8, channels: 3 as const } };
  jpeg = await sharp(Buffer.alloc(8 * 8 * 3, 120), raw)
    .jpeg()
    .toBuffer();
  png = await sharp(Buffer.alloc(8 * 8 * 3, 120), raw)
    .png()
    .toBuffer();
  otherSize = await sharp(Buffer.alloc(9 * 8 * 3, 120), { raw: { width: 9, height: 8, channels: 3 } })
    .jpeg()
    .toBuffer();
});

const rules = (names = numberedNames(4, 'jpeg'), type: 'jpeg' | 'png' = 'jpeg'): ImageSetRules => ({
  archives: ['tar.gz', 'zip'],
  type,
  width: 8,
  height: 8,
  names,
  maxInflatedBytes: 1 << 20,
});

const numbered = (count: number, bytes = () => jpeg): FileToPack[] =>
  Array.from({ length: count }, (_, index) => ({ name: `${index + 1}.jpg`, bytes: bytes() }));

async function rejected(archive: Uint8Array, given = rules()) {
  const error = await readImageSet(archive, given).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SubmissionRejection);
  return (error as SubmissionRejection).detail;
}

/** A tar.gz written entry by entry, for shapes writeTarGz never makes (links, duplicates). */
async function rawTarGz(
  entries: Array<{ header: Partial<tar.Header> & { name: string }; bytes?: Buffer }>,
): Promise<Buffer> {
  const pack = tar.pack();
  for (const entry of entries) pack.entry(entry.header, entry.bytes ?? '');
  pack.finalize();
  return buffer((pack as unknown as Readable).pipe(createGzip()));
}

describe('readImageSet', () => {
  it('reads a .tar.gz in the task order, whatever the archive order', async () => {
    const files = numbered(4).reverse();
    const set = await readImageSet(await writeTarGz(files), rules());
    expect(set.names).toEqual(['1.jpg', '2.jpg', '3.jpg', '4.jpg']);
    expect(set.images).toHaveLength(4);
    expect(set.images[0]!.pixels).toHaveLength(8 * 8 * 3);
  });

  it('reads the same images from a .zip, ignoring macOS metadata', async () => {
    const zip = zipSync({
      ...Object.fromEntries(numbered(4).map((file) => [file.name, file.bytes])),
      '__MACOSX/._1.jpg': new Uint8Array([0, 5, 22]),
      '.DS_Store': new Uint8Array([0, 0, 0, 1]),
    });
    const set = await readImageSet(zip, rules());
    expect(set.images).toHaveLength(4);
  });

  it('refuses a missing image, naming it', async () => {
    const detail = await rejected(await writeTarGz(numbered(4).filter((file) => file.name !== '3.jpg')));
    expect(detail).toMatchObject({ code: 'IMAGE_MISSING' });
    expect(detail.message).toContain('has no 3.jpg');
  });

  it('refuses an extra file, naming it', async () => {
    const detail = await rejected(await writeTarGz([...numbered(4), { name: 'notes.txt', bytes: Buffer.from('x') }]));
    expect(detail).toMatchObject({ code: 'IMAGE_EXTRA_FILE', found: 'notes.txt' });
  });

  it('refuses an image past the count as extra', async () => {
    const detail = await rejected(await writeTarGz(numbered(5)));
    expect(detail).toMatchObject({ code: 'IMAGE_EXTRA_FILE', found: '5.jpg' });
  });

  it('refuses a duplicate name', async () => {
    const archive = await rawTarGz([
      ...numbered(4).map((file) => ({
        header: { name: file.name, size: file.bytes.length },
        bytes: Buffer.from(file.bytes),
      })),
      { header: { name: './2.jpg', size: jpeg.length }, bytes: jpeg },
    ]);
    expect(await rejected(archive)).toMatchObject({ code: 'IMAGE_DUPLICATE', found: '2.jpg' });
  });

  it('refuses images inside a folder, with the command that fixes it', async () => {
    const detail = await rejected(
      await writeTarGz(numbered(4).map((file) => ({ ...file, name: `submission/${file.name}` }))),
    );
    expect(detail.code).toBe('IMAGE_NESTED_FOLDER');
    expect(detail.message).toContain('tar czf submission.tgz -C submission .');
  });

  it('refuses a class folder wrapped in another folder (HW10 layout)', async () => {
    const names = ['cat/cat1.png', 'dog/dog1.png'];
    const detail = await rejected(
      await writeTarGz(names.map((name) => ({ name: `adv/${name}`, bytes: png }))),
      rules(names, 'png'),
    );
    expect(detail.code).toBe('IMAGE_NESTED_FOLDER');
  });

  it('refuses 1.png in a task of JPEGs named 1.jpg', async () => {
    const files = numbered(4).map((file, index) => (index === 1 ? { name: '2.png', bytes: png } : file));
    expect(await rejected(await writeTarGz(files))).toMatchObject({ code: 'IMAGE_WRONG_NAME', expected: '2.jpg' });
  });

  it('refuses a PNG named .jpg, and names the first such file in task order', async () => {
    const files = numbered(4, () => jpeg).map((file, index) => (index >= 2 ? { ...file, bytes: png } : file));
    const detail = await rejected(await writeTarGz(files.reverse()));
    expect(detail).toMatchObject({ code: 'IMAGE_WRONG_TYPE' });
    expect(detail.message).toMatch(/^3\.jpg: /);
  });

  it('refuses an image of the wrong size', async () => {
    const files = numbered(4).map((file, index) => (index === 3 ? { ...file, bytes: otherSize } : file));
    expect(await rejected(await writeTarGz(files))).toMatchObject({ code: 'IMAGE_WRONG_SIZE', found: '9x8' });
  });

  it('refuses links, climbing paths and other containers', async () => {
    const link = await rawTarGz([{ header: { name: '1.jpg', type: 'symlink', linkname: '/etc/passwd' } }]);
    expect(await rejected(link)).toMatchObject({ code: 'ARCHIVE_NOT_A_FILE' });
    const climbing = await rawTarGz([{ header: { name: '../1.jpg', size: jpeg.length }, bytes: jpeg }]);
    expect(await rejected(climbing)).toMatchObject({ code: 'ARCHIVE_UNSAFE_PATH' });
    expect(await rejected(Buffer.from('1.jpg,2.jpg\n'))).toMatchObject({ code: 'ARCHIVE_TYPE' });
    expect(await rejected(gzipSync(Buffer.from('not a tar at all, just gzip')))).toMatchObject({
      code: 'ARCHIVE_INVALID',
    });
    const tarOnly = { ...rules(), archives: ['tar.gz' as const] };
    expect(await rejected(zipSync({ '1.jpg': jpeg }), tarOnly)).toMatchObject({ code: 'ARCHIVE_TYPE', found: 'zip' });
  });

  it('stops a decompression bomb at the inflated limit', async () => {
    const bomb = await writeTarGz([{ name: '1.jpg', bytes: Buffer.alloc(64 << 20) }]);
    expect(bomb.length).toBeLessThan(1 << 20);
    expect(await rejected(bomb)).toMatchObject({ code: 'ARCHIVE_TOO_LARGE_INFLATED' });
    const zipBomb = zipSync({ '1.jpg': new Uint8Array(64 << 20) }, { level: 9 });
    expect(await rejected(zipBomb)).toMatchObject({ code: 'ARCHIVE_TOO_LARGE_INFLATED' });
  });

  it('stops an archive with too many entries', async () => {
    const many = Array.from({ length: 200 }, (_, index) => ({ name: `x${index}`, bytes: Buffer.alloc(1) }));
    expect(await rejected(await writeTarGz(many))).toMatchObject({ code: 'ARCHIVE_TOO_MANY_FILES' });
  });
});

describe('assertWithinLinf', () => {
  it('accepts the bound and refuses past it, naming the image and the distance', () => {
    const original = {
      names: ['a.png', 'b.png'],
      images: [0, 1].map(() => ({ width: 1, height: 1, pixels: Uint8Array.of(100, 100, 100) })),
    };
    const attacked = {
      names: original.names,
      images: [Uint8Array.of(108, 92, 100), Uint8Array.of(100, 109, 100)].map((pixels) => ({
        width: 1,
        height: 1,
        pixels,
      })),
    };
    expect(() =>
      assertWithinLinf({ ...attacked, images: [attacked.images[0]!, original.images[1]!] }, original, 8),
    ).not.toThrow();
    expect(() => assertWithinLinf(attacked, original, 8)).toThrow(/b\.png is at L∞ distance 9/);
  });
});
