/**
 * Reads a plain-text prediction file: one prediction per line, in test order, no header (HW5's
 * `prediction.txt`). A final newline is optional; CRLF is accepted; an empty line is an empty prediction.
 */
import { SubmissionRejection } from './rejection.ts';
import { assertTextFile } from './sniff.ts';

/**
 * Longest line a text prediction may have, in characters. A translation or an answer is a sentence
 * or a paragraph; a line of megabytes is not a prediction, and tokenizing it would cost the scorer
 * gigabytes.
 */
export const MAX_TEXT_LINE_CHARS = 100_000;

/** Rejects a text value longer than MAX_TEXT_LINE_CHARS, naming its line. */
export function assertLineLength(text: string, line: number, column?: { index: number; name: string }): void {
  if (text.length <= MAX_TEXT_LINE_CHARS) return;
  throw new SubmissionRejection({
    code: 'TEXT_LINE_TOO_LONG',
    message: `Line ${line}${column ? `, column ${column.index} (${column.name})` : ''} has ${text.length} characters; a prediction may have at most ${MAX_TEXT_LINE_CHARS}.`,
    line,
    ...(column ? { column: column.index, columnName: column.name } : {}),
    expected: `at most ${MAX_TEXT_LINE_CHARS} characters`,
    found: `${text.length} characters`,
  });
}

/** Splits the file into exactly `expectedLines` lines or rejects it with the count it found. */
export function readTextLines(bytes: Uint8Array, expectedLines: number): string[] {
  assertTextFile(bytes, `${expectedLines} lines of text, one prediction per line`);
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.endsWith('\r')) lines[i] = line.slice(0, -1);
    assertLineLength(lines[i]!, i + 1);
  }
  if (lines.length !== expectedLines) {
    throw new SubmissionRejection({
      code: 'TEXT_LINE_COUNT',
      message: `The file has ${lines.length} lines; the test set has ${expectedLines} (one prediction per line, in test order, no header).`,
      ...(lines.length > expectedLines ? { line: expectedLines + 1 } : {}),
      expected: `${expectedLines} lines`,
      found: `${lines.length} lines`,
    });
  }
  return lines;
}
