/**
 * Turns decoded images into the float32 tensor an evaluator model takes, as its task.yaml declares:
 * resize (sharp, with the named filter) when the model's size differs, channel order, value scale,
 * per-channel mean and std, and NCHW or NHWC layout. The same declaration is what a student reads to
 * reproduce the score with the published models.
 */
import type { KernelEnum } from 'sharp';
import { loadSharp } from './sharp-module.ts';
import type { RgbImage } from './decode.ts';

export type ResizeFilter = 'nearest' | 'bilinear' | 'bicubic' | 'lanczos';

export interface Preprocessing {
  readonly width: number;
  readonly height: number;
  readonly filter: ResizeFilter;
  readonly channelOrder: 'rgb' | 'bgr';
  readonly layout: 'nchw' | 'nhwc';
  /** Pixel values are divided by this first (255 maps them to [0, 1]; 1 keeps 0-255). */
  readonly scale: number;
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
}

const KERNELS: Record<ResizeFilter, keyof KernelEnum> = {
  nearest: 'nearest',
  bilinear: 'linear',
  bicubic: 'cubic',
  lanczos: 'lanczos3',
};

async function resized(image: RgbImage, spec: Preprocessing): Promise<Uint8Array> {
  if (image.width === spec.width && image.height === spec.height) return image.pixels;
  const sharp = await loadSharp();
  const data = await sharp(image.pixels, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(spec.width, spec.height, { kernel: KERNELS[spec.filter], fit: 'fill' })
    .raw()
    .toBuffer();
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** The shape of one image's tensor, without the batch dimension. */
export function inputShapeOf(spec: Preprocessing): [number, number, number] {
  return spec.layout === 'nchw' ? [3, spec.height, spec.width] : [spec.height, spec.width, 3];
}

/** One float32 tensor [images, ...inputShapeOf(spec)] for all `images`, in order. */
export async function imagesToTensor(images: readonly RgbImage[], spec: Preprocessing): Promise<Float32Array> {
  const plane = spec.width * spec.height;
  const size = plane * 3;
  const tensor = new Float32Array(images.length * size);
  const source = spec.channelOrder === 'rgb' ? [0, 1, 2] : [2, 1, 0];
  // (value / scale - mean) / std as one multiply-add per value.
  const multiplier = source.map((_, c) => 1 / (spec.scale * spec.std[c]!));
  const offset = source.map((_, c) => -spec.mean[c]! / spec.std[c]!);
  for (let index = 0; index < images.length; index++) {
    const pixels = await resized(images[index]!, spec);
    const base = index * size;
    for (let c = 0; c < 3; c++) {
      const from = source[c]!;
      const a = multiplier[c]!;
      const b = offset[c]!;
      if (spec.layout === 'nchw') {
        const out = base + c * plane;
        for (let p = 0; p < plane; p++) tensor[out + p] = pixels[p * 3 + from]! * a + b;
      } else {
        for (let p = 0; p < plane; p++) tensor[base + p * 3 + c] = pixels[p * 3 + from]! * a + b;
      }
    }
  }
  return tensor;
}
