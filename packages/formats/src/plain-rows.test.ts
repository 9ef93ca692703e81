/**
 * The plain-row fast path must read every file exactly as the general reader does. The general
 * reader's twin of a file is the same file with its two columns swapped (`Class,Id`): the fast path
 * only takes files whose id comes first, so the twin is read by the general reader alone, row by row
 * with the same bytes, lines and rejections.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnValues } from './column-values.ts';
import { readPredictionCsv, type PredictionSpec } from './prediction-csv.ts';
import { SubmissionRejection } from './rejection.ts';
import { readSolutionCsv, type SolutionTable } from './solution-csv.ts';

const ROWS = 12;

function solutionOf(kind: 'label' | 'number'): SolutionTable {
  const rows = Array.from({ length: ROWS }, (_, id) => `${id},${kind === 'label' ? id % 4 : id / 4},Public`);
  return readSolutionCsv(Buffer.from(`Id,Target,Usage\n${rows.join('\n')}\n`), {
    idColumn: 'Id',
    targetColumns: ['Target'],
    targetKind: kind,
  });
}

const solutions = { label: solutionOf('label'), number: solutionOf('number') };

/** What a read came to, in terms both column orders share: the values by row, or the rejection's code and line. */
function outcome(text: string, kind: 'label' | 'number'): unknown {
  const spec: PredictionSpec = { idColumn: 'Id', predictionColumn: 'Target', kind };
  try {
    const column: ColumnValues = readPredictionCsv(Buffer.from(text, 'utf8'), solutions[kind], spec);
    if (column.kind === 'label') return Array.from(column.codes, (code) => column.classNames[code]);
    if (column.kind === 'number') return Array.from(column.values);
    throw new Error('text column');
  } catch (error) {
    if (error instanceof SubmissionRejection) return { code: error.detail.code, line: error.detail.line };
    throw error;
  }
}

/** Ids: mostly each test id once, sometimes a spelling or an id the test set lacks. */
const idText = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 0, max: ROWS - 1 }).map(String) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('007', '+3', '3.0', '', '12', '999999999', '1234567890', '4e0', '٣', '-1'),
  },
);
const labelText = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 0, max: 3 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('01', '3.0', '7', 'cat', '', '2 ', '-0', '1234567890') },
);
const numberText = fc.oneof(
  { weight: 12, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('1e3', '-0.5', '.5', '5.', 'nan', 'inf', '', '1,5', '0x10', '1_0') },
);
/** How a field is written: plainly mostly, sometimes padded or quoted. */
const decorate = fc.constantFrom<(text: string) => string>(
  ...Array.from({ length: 10 }, () => (text: string) => text),
  (text) => ` ${text}`,
  (text) => `${text}\t`,
  (text) => `"${text}"`,
  (text) => `"${text.replace(/^/, '""')}"`,
);
const lineEnd = fc.constantFrom('\n', '\n', '\n', '\n', '\n', '\n', '\r\n', '\r', '\n\n', ',extra\n');

const rows = (value: fc.Arbitrary<string>) =>
  fc.array(fc.tuple(idText, decorate, value, decorate, lineEnd), { minLength: 0, maxLength: ROWS + 3 });

/** The file in both column orders, from the same rows; often a permutation of every id, written plainly. */
function files(
  header: string,
  written: ReadonlyArray<readonly [string, (text: string) => string, string, (text: string) => string, string]>,
  finalNewline: boolean,
) {
  let idFirst = `Id,${header}\n`;
  let idSecond = `${header},Id\n`;
  written.forEach(([id, decorateId, value, decorateValue, end], index) => {
    const last = index === written.length - 1 && !finalNewline;
    idFirst += `${decorateId(id)},${decorateValue(value)}${last ? '' : end}`;
    idSecond += `${decorateValue(value)},${decorateId(id)}${last ? '' : end}`;
  });
  return { idFirst, idSecond };
}

const plainPermutation = (value: fc.Arbitrary<string>) =>
  fc
    .tuple(
      fc.shuffledSubarray([...Array(ROWS).keys()], { minLength: ROWS }),
      fc.array(value, { minLength: ROWS, maxLength: ROWS }),
    )
    .map(([ids, values]) =>
      ids.map(
        (id, index) => [String(id), (text: string) => text, values[index]!, (text: string) => text, '\n'] as const,
      ),
    );

describe('plain rows read as the general reader reads them', () => {
  for (const kind of ['label', 'number'] as const) {
    const value = kind === 'label' ? labelText : numberText;
    it(`${kind} files, plain, decorated and broken`, () => {
      fc.assert(
        fc.property(fc.oneof(rows(value), plainPermutation(value)), fc.boolean(), (written, finalNewline) => {
          const { idFirst, idSecond } = files('Target', written, finalNewline);
          expect(outcome(idFirst, kind)).toEqual(outcome(idSecond, kind));
        }),
        { numRuns: 2000 },
      );
    });
  }

  it('reads a plain file whole, and hands a file over at its first row that is not plain', () => {
    const plain = 'Id,Target\n' + Array.from({ length: ROWS }, (_, id) => `${id},${id % 4}`).join('\n');
    expect(outcome(plain, 'label')).toEqual(Array.from({ length: ROWS }, (_, id) => String(id % 4)));
    const decorated = plain.replace('\n5,1', '\n"5", 1 ');
    expect(outcome(decorated, 'label')).toEqual(outcome(plain, 'label'));
    expect(outcome(plain.replace('\n7,3', '\n3,3'), 'label')).toEqual({ code: 'CSV_DUPLICATE_ID', line: 9 });
  });
});
