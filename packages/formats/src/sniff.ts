/**
 * Cheap whole-file checks that run before any parsing: empty files, binary files (a zipped CSV, an
 * image uploaded by mistake) and text that is not UTF-8 get one precise message instead of a cascade of
 * CSV errors.
 */
import { isUtf8 } from 'node:buffer';
import { SubmissionRejection } from './rejection.ts';

function lineAt(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  // Binary search for the shortest invalid prefix is fragile around multi-byte sequences; a decoder in
  // fatal mode over growing chunks is simple and only runs on the error path.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let low = 0;
  let high = bytes.length;
  while (high - low > 4) {
    const middle = (low + high) >>> 1;
    try {
      decoder.decode(bytes.subarray(0, middle), { stream: true });
      low = middle;
    } catch {
      high = middle;
    }
  }
  return low;
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
      message: `The file is not valid UTF-8 (first bad byte near line ${line}, column ${column}). Save it as UTF-8.`,
      line,
      expected: 'UTF-8 text',
    });
  }
}
