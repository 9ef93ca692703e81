import { describe, expect, it } from 'vitest';
import { readPredictionCsv, type PredictionSpec } from './prediction-csv.ts';
import { SubmissionRejection } from './rejection.ts';
import { readSolutionCsv, type SolutionSpec } from './solution-csv.ts';

const labelSolution = readSolutionCsv(
  Buffer.from('Id,Class,Usage\n0,cat,Public\n1,dog,Private\n2,cat,Public\n3,bird,Private\n'),
  {
    idColumn: 'Id',
    targetColumns: ['Class'],
    targetKind: 'label',
  } satisfies SolutionSpec,
);
const labels: PredictionSpec = { idColumn: 'Id', predictionColumn: 'Class', kind: 'label' };
const numberSolution = readSolutionCsv(Buffer.from('id,tested_positive,Usage\n0,1.5,Public\n1,2.5,Private\n'), {
  idColumn: 'id',
  targetColumns: ['tested_positive'],
  targetKind: 'number',
});
const numbers: PredictionSpec = { idColumn: 'id', predictionColumn: 'tested_positive', kind: 'number' };

function rejectionOf(text: string | Buffer, spec: PredictionSpec = labels, solution = labelSolution) {
  try {
    readPredictionCsv(typeof text === 'string' ? Buffer.from(text) : text, solution, spec);
  } catch (error) {
    if (error instanceof SubmissionRejection) return error.detail;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('readPredictionCsv', () => {
  it('aligns rows to the solution order whatever order the file uses, with case-insensitive headers and swapped columns', () => {
    const result = readPredictionCsv(
      Buffer.from('class , id\r\ndog,3\ncat,0\n"dog",1\n bird ,2\n'),
      labelSolution,
      labels,
    );
    expect(result.kind).toBe('label');
    if (result.kind !== 'label') return;
    expect(Array.from(result.codes, (code) => result.classNames[code])).toEqual(['cat', 'dog', 'bird', 'dog']);
  });

  it('keeps a label the truth never uses as its own class', () => {
    const result = readPredictionCsv(Buffer.from('Id,Class\n0,cat\n1,fish\n2,fish\n3,bird\n'), labelSolution, labels);
    if (result.kind !== 'label') throw new Error('kind');
    expect(result.classNames).toEqual(['cat', 'dog', 'bird', 'fish']);
    expect(Array.from(result.codes)).toEqual([0, 3, 3, 2]);
  });

  it.each([
    ['an empty file', '', 'FILE_EMPTY', undefined, undefined],
    ['only blank lines', '\n\r\n\n', 'FILE_EMPTY', undefined, undefined],
    ['a header and no rows', 'Id,Class\n', 'CSV_NO_ROWS', undefined, undefined],
    ['a wrong header', 'id,label\n0,cat\n', 'CSV_HEADER', 1, 2],
    ['a header missing the prediction column', 'Id\n0\n', 'CSV_HEADER', 1, undefined],
    ['a repeated header column', 'Id,Id\n0,0\n', 'CSV_HEADER', 1, 2],
    ['a row with three fields', 'Id,Class\n0,cat\n1,dog,extra\n', 'CSV_FIELD_COUNT', 3, undefined],
    ['a row with one field', 'Id,Class\n0,cat\n1\n', 'CSV_FIELD_COUNT', 3, undefined],
    ['an unknown id', 'Id,Class\n0,cat\n7,dog\n', 'CSV_UNKNOWN_ID', 3, 1],
    ['a duplicate id', 'Id,Class\n0,cat\n1,dog\n0,cat\n', 'CSV_DUPLICATE_ID', 4, 1],
    ['an empty id', 'Id,Class\n,cat\n', 'CSV_EMPTY_VALUE', 2, 1],
    ['an empty prediction', 'Id,Class\n0,\n', 'CSV_EMPTY_VALUE', 2, 2],
    ['missing ids', 'Id,Class\n0,cat\n2,dog\n', 'CSV_MISSING_IDS', undefined, undefined],
    ['an unterminated quote', 'Id,Class\n0,"cat\n', 'CSV_UNTERMINATED_QUOTE', 2, 2],
  ])('rejects %s with %s at line %s, column %s', (_what, text, code, line, column) => {
    const detail = rejectionOf(text);
    expect(detail.code).toBe(code);
    expect(detail.line).toBe(line);
    expect(detail.column).toBe(column);
    expect(detail.message.length).toBeGreaterThan(10);
  });

  it('names the first line an id was seen on when it repeats', () => {
    expect(rejectionOf('Id,Class\n0,cat\n1,dog\n0,cat\n').message).toContain('already appeared on line 2');
  });

  it('lists a few missing ids and how many more', () => {
    const detail = rejectionOf('Id,Class\n0,cat\n');
    expect(detail.message).toBe('3 of 4 test ids have no prediction: "1", "2", "3".');
  });

  it('explains a UTF-16 file and a pandas index column', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Id,Class\n0,cat\n', 'utf16le')]);
    expect(rejectionOf(utf16)).toMatchObject({ code: 'FILE_ENCODING', message: expect.stringContaining('UTF-16') });
    expect(rejectionOf(',Id,Class\n0,0,cat\n').message).toContain('save with index=False');
  });

  it('rejects binary and non-UTF-8 files before parsing', () => {
    expect(rejectionOf(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00])).code).toBe('FILE_BINARY');
    expect(
      rejectionOf(Buffer.concat([Buffer.from('Id,Class\n0,caf'), Buffer.from([0xe9]), Buffer.from('\n')])),
    ).toMatchObject({ code: 'FILE_ENCODING', line: 2 });
  });

  it.each([
    ['text', 'abc', 'CSV_INVALID_NUMBER'],
    ['a decimal comma', '1,5', 'CSV_FIELD_COUNT'],
    ['NaN', 'nan', 'CSV_NON_FINITE'],
    ['infinity', '-inf', 'CSV_NON_FINITE'],
    ['hex', '0x10', 'CSV_INVALID_NUMBER'],
  ])('rejects %s as a regression prediction', (_what, value, code) => {
    const detail = rejectionOf(`id,tested_positive\n0,1\n1,${value}\n`, numbers, numberSolution);
    expect(detail.code).toBe(code);
    expect(detail.line).toBe(3);
  });

  it('rejects a label outside a closed label list and says what was expected', () => {
    const closed = readSolutionCsv(Buffer.from('Id,Class,Usage\n0,1,Public\n1,2,Private\n'), {
      idColumn: 'Id',
      targetColumns: ['Class'],
      targetKind: 'label',
      labels: ['0', '1', '2'],
    });
    const detail = rejectionOf('Id,Class\n0,1\n1,41\n', labels, closed);
    expect(detail).toMatchObject({ code: 'CSV_INVALID_LABEL', line: 3, column: 2, expected: 'one of 0, 1, 2' });
  });
});

describe('readSolutionCsv', () => {
  it('rejects a bad Usage value and a duplicate id with the line', () => {
    const spec: SolutionSpec = { idColumn: 'id', targetColumns: ['y'], targetKind: 'number' };
    expect(() => readSolutionCsv(Buffer.from('id,y,Usage\n0,1,Public\n1,2,Secret\n'), spec)).toThrow(
      /line 3: Usage must be Public, Private or Ignored/,
    );
    expect(() => readSolutionCsv(Buffer.from('id,y,Usage\n0,1,Public\n0,2,Private\n'), spec)).toThrow(
      /line 3: duplicate id "0"/,
    );
  });
});

describe('rejections of a task whose labels are not declared', () => {
  // Without `labels:` in task.yaml, the only source of the label set is the hidden truth.
  const secretSolution = (rows: number) =>
    readSolutionCsv(
      Buffer.from(
        [
          'Id,Class,Usage',
          ...Array.from({ length: rows }, (_, i) => `${i},${i % 3 === 0 ? 'secret-alpha' : 'secret-beta'},Public`),
        ].join('\n'),
      ),
      { idColumn: 'Id', targetColumns: ['Class'], targetKind: 'label' },
    );

  it('never names a hidden label, even past the limit of unknown labels', () => {
    const rows = 100_005;
    const file = ['Id,Class', ...Array.from({ length: rows }, (_, i) => `${i},u${i}`)].join('\n');
    const detail = rejectionOf(file, labels, secretSolution(rows));
    expect(detail.code).toBe('CSV_INVALID_LABEL');
    expect(JSON.stringify(detail)).not.toContain('secret');
  });

  it.each([
    ['a wrong header', 'Id,Label\n0,x\n'],
    ['missing ids', 'Id,Class\n0,x\n'],
    ['a duplicate id', 'Id,Class\n0,x\n0,x\n'],
    ['an empty label', 'Id,Class\n0,\n'],
    ['an unknown id', 'Id,Class\n9,x\n'],
    ['binary bytes', '\u0000\u0001'],
  ])('describes %s without the hidden labels', (_what, file) => {
    expect(JSON.stringify(rejectionOf(file, labels, secretSolution(6)))).not.toContain('secret');
  });
});

describe('label and id spellings', () => {
  const integers = readSolutionCsv(Buffer.from('Id,Class,Usage\n0000,3,Public\n0001,7,Public\n0002,3,Private\n'), {
    idColumn: 'Id',
    targetColumns: ['Class'],
    targetKind: 'label',
  });

  it('reads 3.0 as the integer class 3, never as a class of its own', () => {
    const result = readPredictionCsv(Buffer.from('Id,Class\n0000,3.0\n0001,7.00\n0002,3\n'), integers, labels);
    if (result.kind !== 'label') throw new Error('kind');
    expect(Array.from(result.codes, (code) => result.classNames[code])).toEqual(['3', '7', '3']);
    expect(result.classNames).toEqual(['3', '7']);
  });

  it('says so when ids lost their leading zeros', () => {
    const detail = rejectionOf('Id,Class\n0,3\n1,7\n2,3\n', labels, integers);
    expect(detail.code).toBe('CSV_UNKNOWN_ID');
    expect(detail.message).toContain('leading zeros ("0000")');
  });
});

describe('text predictions', () => {
  const texts = readSolutionCsv(Buffer.from('id,answer,Usage\n0,a,Public\n1,b,Public\n'), {
    idColumn: 'id',
    targetColumns: ['answer'],
    targetKind: 'text',
  });

  it('rejects an answer too long to be one, naming its line and column', () => {
    const detail = rejectionOf(
      `id,answer\n0,a\n1,${'x'.repeat(100_001)}\n`,
      { idColumn: 'id', predictionColumn: 'answer', kind: 'text' },
      texts,
    );
    expect(detail).toMatchObject({ code: 'TEXT_LINE_TOO_LONG', line: 3, column: 2 });
  });
});

describe('the line of an encoding error', () => {
  it('is the line of the bad byte, whatever multi-byte text comes before it', () => {
    const before = Buffer.from('Id,Class\n0,貓咪\n1,狗狗\n', 'utf8');
    const detail = rejectionOf(Buffer.concat([before, Buffer.from('2,caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    expect(detail).toMatchObject({ code: 'FILE_ENCODING', line: 4 });
    expect(detail.message).toContain('line 4, character 6');
  });
});
