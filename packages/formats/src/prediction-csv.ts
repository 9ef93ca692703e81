/**
 * Reads a student's prediction CSV (`id,prediction`) and aligns it to the solution's row order.
 * Every id must appear exactly once; every value must parse for the metric. The loop over rows
 * allocates nothing per row for label and number predictions: ids and labels are looked up as bytes.
 */
import { ByteTable } from './byte-table.ts';
import type { IdLookup } from './id-lookup.ts';
import { canonicalInteger, IntegerIds } from './integer-ids.ts';
import { readPlainRows } from './plain-rows.ts';
import type { ColumnValues, ValueKind } from './column-values.ts';
import { CsvScanner, FIELD_ESCAPED } from './csv-scanner.ts';
import { matchHeader } from './header.ts';
import { isNaNLiteral, parseNumber } from './number-parse.ts';
import { preview, SubmissionRejection } from './rejection.ts';
import { classNamesOf, type SolutionTable } from './solution-csv.ts';
import { assertTextFile } from './sniff.ts';
import { assertLineLength } from './text-lines.ts';

export interface PredictionSpec {
  readonly idColumn: string;
  readonly predictionColumn: string;
  readonly kind: ValueKind;
}

/** How many missing ids a message names before it says "and N more". */
const MISSING_EXAMPLES = 5;
/** A file with more distinct unknown labels than this is not a prediction file for this task. */
const MAX_UNSEEN_LABELS = 100_000;

/** Reads and validates a prediction CSV. Throws SubmissionRejection with line and column. */
export function readPredictionCsv(bytes: Uint8Array, solution: SolutionTable, spec: PredictionSpec): ColumnValues {
  const expectedHeader = `${spec.idColumn},${spec.predictionColumn}`;
  assertTextFile(bytes, `a CSV file with the header ${expectedHeader}`);
  const scanner = new CsvScanner(bytes, 3);
  if (!scanner.next()) {
    throw new SubmissionRejection({
      code: 'FILE_EMPTY',
      message: 'The file has only blank lines.',
      expected: expectedHeader,
    });
  }
  const header = matchHeader(scanner, { required: [spec.idColumn, spec.predictionColumn] });
  if ('problem' in header) throw new SubmissionRejection(header.problem);
  const idAt = header.positions.get(spec.idColumn)!;
  const valueAt = header.positions.get(spec.predictionColumn)!;

  const rows = solution.rowCount;
  const firstSeenLine = new Int32Array(rows);
  const numbers = spec.kind === 'number' ? new Float64Array(rows) : undefined;
  const codes = spec.kind === 'label' ? new Int32Array(rows) : undefined;
  const texts = spec.kind === 'text' ? new Array<string>(rows) : undefined;
  const vocabulary = solution.vocabulary;
  const unseenLabels = spec.kind === 'label' ? new ByteTable(64) : undefined;
  const knownClasses = vocabulary?.table.size ?? 0;
  const smallCodes = vocabulary ? smallIntegerCodes(vocabulary.table) : null;
  let dataRows = 0;

  const reject = (code: string, message: string, column: number, expected: string, found?: string): never => {
    throw new SubmissionRejection({
      code,
      message: `Line ${scanner.line}, column ${column + 1} (${column === idAt ? spec.idColumn : spec.predictionColumn}): ${message}`,
      line: scanner.line,
      column: column + 1,
      columnName: column === idAt ? spec.idColumn : spec.predictionColumn,
      expected,
      ...(found === undefined ? {} : { found }),
    });
  };

  // Plain rows first, while there are any (most files are plain throughout); the rest, general.
  if (idAt === 0 && valueAt === 1 && solution.ids instanceof IntegerIds && (numbers || (codes && smallCodes))) {
    const { position, line } = scanner.nextRecord;
    const plain = readPlainRows(bytes, position, line, {
      rowOfId: solution.ids.rowOfValue,
      firstSeenLine,
      ...(codes ? { labels: { codeOfValue: smallCodes!, codes } } : {}),
      ...(numbers ? { numbers } : {}),
    });
    scanner.resumeAt(plain.position, plain.line);
    dataRows += plain.rows;
  }
  while (scanner.next()) {
    dataRows++;
    if (scanner.fieldCount !== 2) {
      throw new SubmissionRejection({
        code: 'CSV_FIELD_COUNT',
        message: `Line ${scanner.line} has ${scanner.fieldCount} field${scanner.fieldCount === 1 ? '' : 's'}; every row needs exactly 2 (${expectedHeader}).`,
        line: scanner.line,
        expected: '2 fields',
        found: `${scanner.fieldCount} fields`,
      });
    }
    const idStart = scanner.trimmedStart(idAt);
    const idEnd = scanner.trimmedEnd(idAt);
    if (idStart === idEnd) reject('CSV_EMPTY_VALUE', 'the id is empty.', idAt, 'an id from the test set');
    const row = (scanner.flags[idAt]! & FIELD_ESCAPED) === 0 ? solution.ids.find(bytes, idStart, idEnd) : -1;
    if (row < 0)
      reject(
        'CSV_UNKNOWN_ID',
        `"${preview(scanner.text(idAt).trim())}" is not an id of the test set.${zeroPaddingHint(solution.ids, scanner.text(idAt).trim())}`,
        idAt,
        'an id from the test set',
        preview(scanner.text(idAt).trim()),
      );
    if (firstSeenLine[row]! !== 0) {
      reject(
        'CSV_DUPLICATE_ID',
        `id "${preview(scanner.text(idAt).trim())}" already appeared on line ${firstSeenLine[row]}.`,
        idAt,
        'each id exactly once',
        preview(scanner.text(idAt).trim()),
      );
    }
    firstSeenLine[row] = scanner.line;

    const valueStart = scanner.trimmedStart(valueAt);
    const valueEnd = scanner.trimmedEnd(valueAt);
    if (spec.kind !== 'text' && valueStart === valueEnd)
      reject('CSV_EMPTY_VALUE', 'the prediction is empty.', valueAt, spec.kind === 'number' ? 'a number' : 'a label');
    if (numbers) {
      const value = parseNumber(bytes, valueStart, valueEnd);
      if (!Number.isFinite(value)) {
        const literal =
          Number.isNaN(value) && !isNaNLiteral(bytes, valueStart, valueEnd) ? 'is not a number' : 'is not finite';
        reject(
          Number.isNaN(value) && literal === 'is not a number' ? 'CSV_INVALID_NUMBER' : 'CSV_NON_FINITE',
          `"${preview(scanner.text(valueAt).trim())}" ${literal}.`,
          valueAt,
          'a finite decimal number such as 0.5 or -1.25e-3',
          preview(scanner.text(valueAt).trim()),
        );
      }
      numbers[row] = value;
    } else if (codes) {
      const small = smallCodes === null ? -1 : canonicalInteger(bytes, valueStart, valueEnd);
      let code =
        small >= 0 && small < smallCodes!.length
          ? smallCodes![small]!
          : vocabulary!.table.find(bytes, valueStart, valueEnd);
      // 3.0 for the class 3 (a float column written by pandas) means 3: read it so, never as a new class.
      if (code < 0) code = integerLabelCode(vocabulary!.table, bytes, valueStart, valueEnd);
      if (code < 0) {
        if (vocabulary!.closed) {
          reject(
            'CSV_INVALID_LABEL',
            `"${preview(scanner.text(valueAt).trim())}" is not a label of this task.`,
            valueAt,
            describeLabels(vocabulary!.table),
            preview(scanner.text(valueAt).trim()),
          );
        }
        // A label the truth never uses is a wrong prediction, not an error; it still counts as a class
        // for macro averages, as in scikit-learn.
        const added = unseenLabels!.add(bytes, valueStart, valueEnd);
        code = knownClasses + (added < 0 ? -added - 1 : added);
        // The vocabulary of an open task comes from the hidden truth: it is never described here.
        if (unseenLabels!.size > MAX_UNSEEN_LABELS)
          reject(
            'CSV_INVALID_LABEL',
            `more than ${MAX_UNSEEN_LABELS} distinct labels that the task does not know.`,
            valueAt,
            `at most ${MAX_UNSEEN_LABELS} distinct labels in the file`,
          );
      }
      codes[row] = code;
    } else {
      const text = scanner.text(valueAt);
      assertLineLength(text, scanner.line, { index: valueAt + 1, name: spec.predictionColumn });
      texts![row] = text;
    }
  }
  if (dataRows === 0) {
    throw new SubmissionRejection({
      code: 'CSV_NO_ROWS',
      message: `The file has a header but no predictions; expected ${rows} rows.`,
      expected: `${rows} rows`,
    });
  }
  assertNoMissingIds(firstSeenLine, solution);
  if (numbers) return { kind: 'number', values: numbers };
  if (codes) {
    const classNames = [...classNamesOf(vocabulary!.table), ...classNamesOf(unseenLabels!)];
    return { kind: 'label', codes, classNames };
  }
  return { kind: 'text', values: texts! };
}

/** Labels 0..SMALL_LABELS-1 (HW2's 41 phonemes, HW3's 11 foods) are found by value, not by hash. */
const SMALL_LABELS = 1024;

/**
 * The code of each small plain-integer label of a vocabulary by its value (-1 where that value is
 * no label, so the caller falls back to the table, which agrees), or null when it has none.
 */
function smallIntegerCodes(table: ByteTable): Int32Array | null {
  let codes: Int32Array | null = null;
  for (let code = 0; code < table.size; code++) {
    const key = Buffer.from(table.keyAt(code), 'latin1');
    const value = canonicalInteger(key, 0, key.length);
    if (value < 0 || value >= SMALL_LABELS) continue;
    codes ??= new Int32Array(SMALL_LABELS).fill(-1);
    codes[value] = code;
  }
  return codes;
}

const INTEGER_WRITTEN_AS_DECIMAL = /^([+-]?\d+)\.0+$/;

/** The code of the integer label that `3.0` (or `3.00`) stands for, or -1. */
function integerLabelCode(table: ByteTable, bytes: Uint8Array, start: number, end: number): number {
  if (end - start > 40) return -1;
  const match = INTEGER_WRITTEN_AS_DECIMAL.exec(Buffer.from(bytes.subarray(start, end)).toString('latin1'));
  if (!match) return -1;
  const integer = String(Number(match[1]));
  return /^-?\d+$/.test(integer) ? table.findString(integer) : -1;
}

/**
 * A hint when an unknown id looks like a test id that lost its leading zeros (pandas read "0007" as
 * 7): the test ids are public, so saying how they are written gives nothing away.
 */
function zeroPaddingHint(ids: IdLookup, id: string): string {
  if (!/^\d+$/.test(id) || ids.size === 0) return '';
  const width = ids.keyAt(0).length;
  if (width <= id.length || !/^\d+$/.test(ids.keyAt(0))) return '';
  const padded = id.padStart(width, '0');
  return ids.findString(padded) >= 0
    ? ` The test ids are written with leading zeros ("${padded}"): save the id column as text.`
    : '';
}

/** The labels a task declares (task.yaml `labels:`, public); only called for a closed vocabulary. */
function describeLabels(table: ByteTable): string {
  const shown = Math.min(table.size, 12);
  const names = Array.from({ length: shown }, (_, index) => table.keyAt(index)).join(', ');
  return `one of ${names}${table.size > shown ? `, … (${table.size} labels)` : ''}`;
}

function assertNoMissingIds(firstSeenLine: Int32Array, solution: SolutionTable): void {
  let missing = 0;
  const examples: string[] = [];
  for (let row = 0; row < firstSeenLine.length; row++) {
    if (firstSeenLine[row] === 0) {
      missing++;
      if (examples.length < MISSING_EXAMPLES) examples.push(solution.ids.keyAt(row));
    }
  }
  if (missing === 0) return;
  const more = missing > examples.length ? ` and ${missing - examples.length} more` : '';
  throw new SubmissionRejection({
    code: 'CSV_MISSING_IDS',
    message: `${missing} of ${solution.rowCount} test ids have no prediction: ${examples.map((id) => `"${preview(id)}"`).join(', ')}${more}.`,
    expected: `one row for each of the ${solution.rowCount} test ids`,
    found: `${solution.rowCount - missing} ids`,
  });
}
