/**
 * Width, height and sample layout from a PNG's IHDR or a JPEG's start-of-frame marker, read before
 * any pixel is decoded: a wrong size is refused with both sizes, and a forged header claiming a huge
 * image never reaches a decoder that would allocate for it.
 * Formats: PNG (ISO/IEC 15948, section 11.2.2), JPEG (ITU-T T.81, annex B.2).
 */
/** The image files a task can take. */
export type ImageType = 'jpeg' | 'png';

export interface ImageHeader {
  readonly width: number;
  readonly height: number;
  /** Bits per sample (PNG bit depth; JPEG sample precision). */
  readonly bitDepth: number;
  /** JPEG: colour components (1 grey, 3 YCbCr, 4 CMYK/YCCK). PNG: its colour type. */
  readonly components: number;
}

function pngHeader(bytes: Uint8Array): ImageHeader | null {
  // Signature (8), IHDR length (4), "IHDR" (4), width, height, depth, colour type.
  if (bytes.length < 33 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20), bitDepth: bytes[24]!, components: bytes[25]! };
}

// Start-of-frame markers: C0-CF but DHT (C4), JPG (C8) and DAC (CC).
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);

function jpegHeader(bytes: Uint8Array): ImageHeader | null {
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset++; // fill byte
      continue;
    }
    // Markers without a length: TEM and RSTn; SOI again would be malformed but harmless to skip.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      offset += 2;
      continue;
    }
    const length = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
    if (length < 2) return null;
    if (isStartOfFrame(marker)) {
      if (offset + 10 > bytes.length) return null;
      return {
        bitDepth: bytes[offset + 4]!,
        height: (bytes[offset + 5]! << 8) | bytes[offset + 6]!,
        width: (bytes[offset + 7]! << 8) | bytes[offset + 8]!,
        components: bytes[offset + 9]!,
      };
    }
    if (marker === 0xda || marker === 0xd9) return null; // scan data or end before any frame
    offset += 2 + length;
  }
  return null;
}

export function readImageHeader(bytes: Uint8Array, type: ImageType): ImageHeader | null {
  return type === 'png' ? pngHeader(bytes) : jpegHeader(bytes);
}
