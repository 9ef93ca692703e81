/**
 * sharp's pixels against Pillow's (fixtures/make_pillow_fixtures.py wrote the images and the sha256
 * of Pillow's `convert('RGB')` bytes): equal for every JPEG and PNG variant, so a student's score
 * computed with Pillow at home is the score here.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SubmissionRejection } from '@mljudge/formats';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, type ImageType } from './decode.ts';

const folder = new URL('../fixtures/pillow/', import.meta.url);
const pillow = JSON.parse(readFileSync(new URL('pillow-pixels.json', folder), 'utf8')) as {
  files: Record<string, { width: number; height: number; sha256: string }>;
};

const typeOf = (name: string): ImageType => (name.endsWith('.png') ? 'png' : 'jpeg');

async function rejection(promise: Promise<unknown>): Promise<SubmissionRejection> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SubmissionRejection);
  return error as SubmissionRejection;
}

describe('decoding equals Pillow', () => {
  for (const [name, expected] of Object.entries(pillow.files)) {
    it(name, async () => {
      const bytes = readFileSync(new URL(name, folder));
      const image = await decodeImage(name, bytes, {
        type: typeOf(name),
        width: expected.width,
        height: expected.height,
      });
      expect(image.pixels.length).toBe(expected.width * expected.height * 3);
      expect(createHash('sha256').update(image.pixels).digest('hex')).toBe(expected.sha256);
    });
  }
});

describe('decodeImage refuses', () => {
  const jpeg = readFileSync(new URL('q75-420.jpg', folder));
  const png = readFileSync(new URL('rgb.png', folder));

  it('a PNG named .jpg, naming both types', async () => {
    const error = await rejection(decodeImage('7.jpg', png, { type: 'jpeg', width: 64, height: 64 }));
    expect(error.detail.code).toBe('IMAGE_WRONG_TYPE');
    expect(error.detail.message).toMatch(/^7\.jpg: the file is a PNG image; this task takes JPEG/);
  });

  it('the wrong size, with both sizes', async () => {
    const error = await rejection(decodeImage('1.jpg', jpeg, { type: 'jpeg', width: 32, height: 64 }));
    expect(error.detail).toMatchObject({ code: 'IMAGE_WRONG_SIZE', expected: '32x64', found: '64x64' });
  });

  it('a truncated JPEG', async () => {
    const error = await rejection(
      decodeImage('2.jpg', jpeg.subarray(0, jpeg.length / 2), { type: 'jpeg', width: 64, height: 64 }),
    );
    expect(error.detail.code).toBe('IMAGE_CORRUPT');
    expect(error.detail.message).toMatch(/^2\.jpg: /);
  });

  it('a file that is no image at all', async () => {
    const error = await rejection(decodeImage('3.png', Buffer.from('hello'), { type: 'png', width: 1, height: 1 }));
    expect(error.detail.code).toBe('IMAGE_WRONG_TYPE');
  });

  it('a 16-bit PNG', async () => {
    const sixteen = await sharp(Buffer.alloc(4 * 4 * 3 * 2, 7), {
      raw: { width: 4, height: 4, channels: 3, premultiplied: false },
    })
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    const error = await rejection(decodeImage('4.png', sixteen, { type: 'png', width: 4, height: 4 }));
    expect(error.detail.code).toBe('IMAGE_WRONG_DEPTH');
  });

  it('a JPEG frame header claiming 60000x60000, from the header alone', async () => {
    const forged = Buffer.from(jpeg);
    const frame = forged.indexOf(Buffer.from([0xff, 0xc0]));
    forged.writeUInt16BE(60000, frame + 5);
    forged.writeUInt16BE(60000, frame + 7);
    const error = await rejection(decodeImage('6.jpg', forged, { type: 'jpeg', width: 64, height: 64 }));
    expect(error.detail).toMatchObject({ code: 'IMAGE_WRONG_SIZE', found: '60000x60000' });
  });

  it('a header claiming an enormous image, before decoding any pixel', async () => {
    // IHDR of 100000 x 100000: refused from the header.
    const header = Buffer.from(png);
    header.writeUInt32BE(100000, 16);
    header.writeUInt32BE(100000, 20);
    const error = await rejection(decodeImage('5.png', header, { type: 'png', width: 64, height: 64 }));
    expect(['IMAGE_WRONG_SIZE', 'IMAGE_CORRUPT']).toContain(error.detail.code);
  });
});

describe('decodeImage under concurrency', () => {
  it('blames a truncated JPEG alone when decoded beside good ones', async () => {
    const good = readFileSync(new URL('q75-420.jpg', folder));
    const expectation = { type: 'jpeg' as const, width: 64, height: 64 };
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, index) =>
        decodeImage(`${index}.jpg`, index === 5 ? good.subarray(0, good.length - 200) : good, expectation),
      ),
    );
    expect(results.map((result) => result.status)).toEqual(
      Array.from({ length: 12 }, (_, index) => (index === 5 ? 'rejected' : 'fulfilled')),
    );
  });
});
