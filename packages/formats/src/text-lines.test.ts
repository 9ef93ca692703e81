import { describe, expect, it } from 'vitest';
import { SubmissionRejection } from './rejection.ts';
import { MAX_TEXT_LINE_CHARS, readTextLines } from './text-lines.ts';

function rejectionOf(text: string, lines: number) {
  try {
    readTextLines(Buffer.from(text), lines);
  } catch (error) {
    if (error instanceof SubmissionRejection) return error.detail;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('readTextLines', () => {
  it('reads one prediction per line, CRLF or LF, with or without a final newline', () => {
    expect(readTextLines(Buffer.from('a\r\nb\nc'), 3)).toEqual(['a', 'b', 'c']);
    expect(readTextLines(Buffer.from('a\n\nc\n'), 3)).toEqual(['a', '', 'c']);
  });

  it('rejects a line of megabytes before anything tokenizes it, naming the line', () => {
    const detail = rejectionOf(`short\n${'字'.repeat(MAX_TEXT_LINE_CHARS + 1)}\nlast\n`, 3);
    expect(detail).toMatchObject({ code: 'TEXT_LINE_TOO_LONG', line: 2 });
  });

  it('counts lines against the test set', () => {
    expect(rejectionOf('a\nb\n', 3)).toMatchObject({ code: 'TEXT_LINE_COUNT', found: '2 lines' });
  });
});
