/**
 * JPEG decoding with mozjpeg (a libjpeg-turbo fork) compiled to WebAssembly (@jsquash/jpeg, from
 * Squoosh). bench/images.ts measured it: on 1000 64x64 JPEGs it decodes about 10x faster than sharp,
 * whose per-call cost (a libuv thread hop and a libvips pipeline per image) dwarfs images this small,
 * and faster than Pillow; its pixels equal Pillow's on every fixture (decode.test.ts), as both run
 * libjpeg-turbo's default integer IDCT with fancy upsampling. Loaded on first use.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

interface DecodedRgba {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

type Decode = (buffer: ArrayBuffer) => Promise<DecodedRgba>;

let decoder: Promise<Decode> | undefined;

/** What libjpeg printed during the current decode (its warnings and errors go to emscripten's printErr). */
let messages: string[] = [];

async function load(): Promise<Decode> {
  const module = (await import('@jsquash/jpeg/decode.js')) as unknown as {
    default: Decode;
    init: (wasm: WebAssembly.Module, options: { print: () => void; printErr: (text: string) => void }) => Promise<void>;
  };
  // Compiled from the package's own file: the emscripten loader would otherwise fetch() it.
  const wasmPath = createRequire(import.meta.url).resolve('@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm');
  await module.init(await WebAssembly.compile(await readFile(wasmPath)), {
    print: () => undefined,
    printErr: (text) => messages.push(text),
  });
  return module.default;
}

/**
 * Decodes a JPEG to RGBA (grey replicated), or throws with libjpeg's message when it cannot. A file
 * that ends early is refused as Pillow refuses it ("image file is truncated"), although libjpeg
 * would fill in the missing rows; its other warnings (extraneous bytes) pass, as in Pillow.
 */
export function decodeJpegRgba(bytes: Uint8Array): Promise<DecodedRgba> {
  // One at a time: the WebAssembly decoder is synchronous anyway, and `messages` must be one file's.
  const result = queue.then(() => decodeOne(bytes));
  queue = result.catch(() => undefined);
  return result;
}

let queue: Promise<unknown> = Promise.resolve();

async function decodeOne(bytes: Uint8Array): Promise<DecodedRgba> {
  decoder ??= load();
  const decode = await decoder;
  messages = [];
  let image: DecodedRgba;
  try {
    image = await decode(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch {
    throw new Error(messages.at(-1) ?? 'libjpeg refused the file');
  }
  const truncated = messages.find((message) => /premature end/i.test(message));
  if (truncated) throw new Error(truncated);
  return image;
}
