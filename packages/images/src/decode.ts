/**
 * Decodes PNG and JPEG to 8-bit RGB the way the course's Python scorers read images:
 * `PIL.Image.open(f).convert('RGB')`. Grey is replicated to three channels, alpha is dropped (not
 * composited), palettes are expanded, EXIF orientation is ignored, exactly as Pillow does. JPEG goes
 * through mozjpeg in WebAssembly (jpeg-decoder.ts), PNG through sharp (libvips, libpng); the pixels
 * equal Pillow 12's for every fixture in fixtures/pillow (decode.test.ts). Sizes and depths come
 * from the header (image-header.ts) before any pixel is decoded.
 */
import { SubmissionRejection } from '@mljudge/formats';
import { readImageHeader, type ImageType } from './image-header.ts';
import { decodeJpegRgba } from './jpeg-decoder.ts';
import { loadSharp } from './sharp-module.ts';

export type { ImageType };

export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** height x width x 3, row-major, interleaved RGB. */
  readonly pixels: Uint8Array;
}

/** The image type by its magic number, whatever the file is called. */
export function imageTypeOf(bytes: Uint8Array): ImageType | 'gif' | 'webp' | 'bmp' | null {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46) return 'gif';
  if (bytes[0] === 0x42 && bytes[1] === 0x4d) return 'bmp';
  if (bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) return 'webp';
  return null;
}

export const TYPE_NAMES: Record<ImageType, string> = { jpeg: 'JPEG', png: 'PNG' };

// Generous for any homework image, small enough that a forged header cannot make us allocate much.
const MAX_PIXELS = 4096 * 4096;

export interface DecodeExpectation {
  readonly type: ImageType;
  readonly width: number;
  readonly height: number;
}

function rejectImage(code: string, name: string, message: string, expected: string, found?: string): never {
  throw new SubmissionRejection({ code, message: `${name}: ${message}`, expected, ...(found ? { found } : {}) });
}

/** Pillow's convert('RGB') of `channels`-channel pixels (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA). */
function rgbOf(raw: Uint8Array, channels: number, count: number): Uint8Array {
  if (channels === 3) return raw;
  const rgb = new Uint8Array(count * 3);
  for (let i = 0; i < count; i++) {
    if (channels <= 2) {
      const grey = raw[i * channels]!;
      rgb[i * 3] = grey;
      rgb[i * 3 + 1] = grey;
      rgb[i * 3 + 2] = grey;
    } else {
      rgb[i * 3] = raw[i * channels]!;
      rgb[i * 3 + 1] = raw[i * channels + 1]!;
      rgb[i * 3 + 2] = raw[i * channels + 2]!;
    }
  }
  return rgb;
}

async function decodePixels(bytes: Uint8Array, type: ImageType, width: number, height: number): Promise<Uint8Array> {
  if (type === 'jpeg') return rgbOf(new Uint8Array((await decodeJpegRgba(bytes)).data.buffer), 4, width * height);
  const sharp = await loadSharp();
  const { data, info } = await sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: 'error' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== width || info.height !== height) throw new Error(`decoded ${info.width}x${info.height}`);
  return rgbOf(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), info.channels, width * height);
}

/**
 * Decodes one student image named `name`, checking its real type, size and depth first (from the
 * header, before any pixel is decoded). Throws SubmissionRejection naming the file.
 */
export async function decodeImage(name: string, bytes: Uint8Array, expected: DecodeExpectation): Promise<RgbImage> {
  const wanted = TYPE_NAMES[expected.type];
  const actual = imageTypeOf(bytes);
  if (actual !== expected.type)
    rejectImage(
      'IMAGE_WRONG_TYPE',
      name,
      actual
        ? `the file is a ${actual.toUpperCase()} image; this task takes ${wanted} images (renaming a file does not convert it).`
        : `the file is not an image (${bytes.length} bytes; it starts with neither the PNG nor the JPEG signature).`,
      wanted,
      actual ?? 'not an image',
    );
  const header = readImageHeader(bytes, expected.type);
  if (!header)
    rejectImage('IMAGE_CORRUPT', name, `the ${wanted} header cannot be read; is the file truncated?`, wanted);
  if (header.width !== expected.width || header.height !== expected.height)
    rejectImage(
      'IMAGE_WRONG_SIZE',
      name,
      `the image is ${header.width}x${header.height}; this task takes ${expected.width}x${expected.height} (width x height).`,
      `${expected.width}x${expected.height}`,
      `${header.width}x${header.height}`,
    );
  if (header.bitDepth > 8)
    rejectImage(
      'IMAGE_WRONG_DEPTH',
      name,
      `the image has ${header.bitDepth} bits per channel; save it with 8 (uint8).`,
      '8 bits per channel',
    );
  if (expected.type === 'jpeg' && header.components === 4)
    rejectImage('IMAGE_WRONG_COLOURS', name, 'the image is CMYK; save it as RGB.', 'RGB or greyscale');
  try {
    const pixels = await decodePixels(bytes, expected.type, header.width, header.height);
    return { width: header.width, height: header.height, pixels };
  } catch (error) {
    return rejectImage(
      'IMAGE_CORRUPT',
      name,
      `the ${wanted} data cannot be decoded (${(error as Error).message}); is the file truncated?`,
      `a complete ${wanted} file`,
    );
  }
}
