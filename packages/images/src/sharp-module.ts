/**
 * sharp, loaded on first use: it is a native library of some 20 MB, and a process that never reads an
 * image (a worker scoring CSVs, `mljudge score` on a prediction file) should not pay for it at start.
 */
import type Sharp from 'sharp';

let sharpModule: Promise<typeof Sharp> | undefined;

export function loadSharp(): Promise<typeof Sharp> {
  sharpModule ??= import('sharp').then((module) => (module as unknown as { default: typeof Sharp }).default);
  return sharpModule;
}
