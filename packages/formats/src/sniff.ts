/**
 * Cheap whole-file checks that run before any parsing: empty files, binary files (a zipped CSV, an
 * image uploaded by mistake) and text that is not UTF-8 get one precise message instead of a cascade of
 * CSV errors.
 */
import { isUtf8 } from 'node:buffer';
import { SubmissionRejection } from './rejection.ts';

/** Line (1-based) and column (1-based, in characters) of byte `offset`. */
function lineAt(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  // A character is one lead byte and its continuation bytes (10xxxxxx): count lead bytes.
  let column = 1;
  for (let i = lineStart; i < offset; i++) if ((bytes[i]! & 0xc0) !== 0x80) column++;
  return { line, column };
}

/** The byte length of a UTF-8 sequence led by `lead`, or 0 when it cannot lead one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/**
 * Offset of the first byte that does not start or continue a valid UTF-8 sequence (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF). Only runs on the error path.
 */
function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i]!;
    const length = sequenceLength(lead);
    if (length === 0) return i;
    if (length === 1) {
      i++;
      continue;
    }
    // The second byte's valid range depends on the lead (rules out overlongs and surrogates).
    const second = bytes[i + 1];
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    if (second === undefined || second < low || second > high) return i;
    for (let k = 2; k < length; k++) {
      const next = bytes[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return i;
    }
    i += length;
  }
  return bytes.length;
}

/** Rejects empty, binary and non-UTF-8 files. `what` names the expected content in messages. */
export function assertTextFile(bytes: Uint8Array, what: string): void {
  if (bytes.length === 0) {
    throw new SubmissionRejection({ code: 'FILE_EMPTY', message: 'The uploaded file is empty.', expected: what });
  }
  const utf16 =
    bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
  if (utf16) {
    throw new SubmissionRejection({
      code: 'FILE_ENCODING',
      message: 'The file is UTF-16 text (as some Windows editors save it); save it as UTF-8.',
      line: 1,
      expected: 'UTF-8 text',
    });
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    const { line, column } = lineAt(bytes, nul);
    throw new SubmissionRejection({
      code: 'FILE_BINARY',
      message: `This is not a text file: it contains a NUL byte at line ${line}, column ${column} (a zip or an image uploaded by mistake?).`,
      line,
      column,
      expected: what,
    });
  }
  if (!isUtf8(bytes)) {
    const { line, column } = lineAt(bytes, firstInvalidUtf8Offset(bytes));
    throw new SubmissionRejection({
      code: 'FILE_ENCODING',
      message: `The file is not valid UTF-8 (first bad byte at line ${line}, character ${column}). Save it as UTF-8.`,
      line,
      expected: 'UTF-8 text',
    });
  }
}
