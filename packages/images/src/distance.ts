/**
 * The L∞ distance of an attacked image to its original, in 0-255 pixel values: the largest change to
 * any channel of any pixel, which the attack homework bounds (epsilon 8).
 */
import { SubmissionRejection } from '@mljudge/formats';
import type { ImageSet } from './image-set.ts';

export function linfDistance(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new RangeError(`images of ${a.length} and ${b.length} values`);
  let largest = 0;
  for (let i = 0; i < a.length; i++) {
    const difference = Math.abs(a[i]! - b[i]!);
    if (difference > largest) largest = difference;
  }
  return largest;
}

/** Rejects the upload at its first image (in the task's order) farther than `bound` from its original. */
export function assertWithinLinf(uploaded: ImageSet, originals: ImageSet, bound: number): number {
  let largest = 0;
  uploaded.images.forEach((image, index) => {
    const distance = linfDistance(image.pixels, originals.images[index]!.pixels);
    if (distance > bound)
      throw new SubmissionRejection({
        code: 'IMAGE_LINF_EXCEEDED',
        message: `${uploaded.names[index]} is at L∞ distance ${distance} from its original; this task allows at most ${bound} (in 0-255 pixel values). The whole upload is refused.`,
        expected: `L∞ <= ${bound}`,
        found: String(distance),
      });
    largest = Math.max(largest, distance);
  });
  return largest;
}
