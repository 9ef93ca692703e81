/** Encodes RGB pixels as JPEG or PNG (sharp): for the course pack's generated images and for tests. */
import type { ImageType, RgbImage } from './decode.ts';
import { loadSharp } from './sharp-module.ts';

export async function encodeImage(image: RgbImage, type: ImageType, quality = 90): Promise<Buffer> {
  const sharp = await loadSharp();
  const pipeline = sharp(image.pixels, { raw: { width: image.width, height: image.height, channels: 3 } });
  return type === 'jpeg' ? pipeline.jpeg({ quality }).toBuffer() : pipeline.png().toBuffer();
}
