import { describe, expect, it } from 'vitest';
import { CsvScanner } from './csv-scanner.ts';
import { SubmissionRejection } from './rejection.ts';

function records(text: string): Array<{ line: number; fields: string[] }> {
  const scanner = new CsvScanner(Buffer.from(text, 'utf8'), 8);
  const out: Array<{ line: number; fields: string[] }> = [];
  while (scanner.next())
    out.push({ line: scanner.line, fields: Array.from({ length: scanner.fieldCount }, (_, i) => scanner.text(i)) });
  return out;
}

function rejection(text: string): SubmissionRejection {
  try {
    records(text);
  } catch (error) {
    if (error instanceof SubmissionRejection) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('CsvScanner', () => {
  it('reads LF and CRLF records, skips a UTF-8 BOM and blank lines, keeps line numbers', () => {
    expect(records('\uFEFFid,label\r\n1,a\r\n\r\n2,b\n')).toEqual([
      { line: 1, fields: ['id', 'label'] },
      { line: 2, fields: ['1', 'a'] },
      { line: 4, fields: ['2', 'b'] },
    ]);
  });

  it('unquotes fields, undoubles quotes and keeps embedded commas and newlines', () => {
    expect(records('a,"b,c","say ""hi""","two\nlines"\nx,y,z,w')).toEqual([
      { line: 1, fields: ['a', 'b,c', 'say "hi"', 'two\nlines'] },
      { line: 3, fields: ['x', 'y', 'z', 'w'] },
    ]);
  });

  it('counts a trailing comma as an empty last field, also at the end of input', () => {
    expect(records('a,b,\nc,d,')).toEqual([
      { line: 1, fields: ['a', 'b', ''] },
      { line: 2, fields: ['c', 'd', ''] },
    ]);
  });

  it('accepts a file without a final newline and a lone CR line end', () => {
    expect(records('a,b\rc,d')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['c', 'd'] },
    ]);
  });

  it('rejects an unterminated quote with the line and column where the field starts', () => {
    const error = rejection('id,label\n1,ok\n2,"never closed\n3,x\n');
    expect(error.detail).toMatchObject({ code: 'CSV_UNTERMINATED_QUOTE', line: 3, column: 2 });
  });

  it('rejects text after a closing quote', () => {
    const error = rejection('id,label\n1,"a"b\n');
    expect(error.detail).toMatchObject({ code: 'CSV_MALFORMED_QUOTE', line: 2, column: 2 });
  });
});
