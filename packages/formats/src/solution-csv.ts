/**
 * Reads a task's hidden `solution.csv`: an id column, one or more target columns and Kaggle's `Usage`
 * column (`Public`, `Private`, or `Ignored`). Read once per task version and cached by the worker.
 */
import { ByteTable } from './byte-table.ts';
import type { IdLookup } from './id-lookup.ts';
import { canonicalInteger, IntegerIds } from './integer-ids.ts';
import type { ColumnValues, LabelVocabulary, ValueKind } from './column-values.ts';
import { CsvScanner, FIELD_ESCAPED, FIELD_QUOTED } from './csv-scanner.ts';
import { matchHeader } from './header.ts';
import { parseNumber } from './number-parse.ts';
import { BundleError, SubmissionRejection } from './rejection.ts';
import { assertTextFile } from './sniff.ts';

export const USAGE_IGNORED = 0;
export const USAGE_PUBLIC = 1;
export const USAGE_PRIVATE = 2;
export const USAGE_COLUMN = 'Usage';

export interface SolutionSpec {
  readonly idColumn: string;
  readonly targetColumns: readonly string[];
  readonly targetKind: ValueKind;
  /** Allowed labels, when the task lists them (label targets only). */
  readonly labels?: readonly string[];
}

export interface SolutionTable {
  readonly rowCount: number;
  /** Row index by id. */
  readonly ids: IdLookup;
  /** One entry per target column (several only for multi-reference text). */
  readonly targets: readonly ColumnValues[];
  /** USAGE_PUBLIC, USAGE_PRIVATE or USAGE_IGNORED per row. */
  readonly usage: Uint8Array;
  /** Label tasks: the class vocabulary predictions are encoded with. */
  readonly vocabulary: LabelVocabulary | undefined;
}

function bundleError(error: unknown): never {
  if (error instanceof SubmissionRejection)
    throw new BundleError({ ...error.detail, message: `solution.csv: ${error.detail.message}` });
  throw error;
}

function buildVocabulary(labels: readonly string[] | undefined): LabelVocabulary {
  const table = new ByteTable(labels?.length ?? 64);
  for (const label of labels ?? []) {
    if (table.addString(label) < 0)
      throw new BundleError({ code: 'TASK_LABELS', message: `task.yaml lists label "${label}" twice.` });
  }
  return { table, closed: labels !== undefined };
}

/** A growable typed column: solution rows are counted only once the file has been read. */
class GrowingColumn<T extends Int32Array | Float64Array | Uint8Array> {
  length = 0;
  constructor(
    private values: T,
    private readonly make: (length: number) => T,
  ) {}
  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = this.make(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
  at(index: number): number {
    return this.values[index]!;
  }
  done(): T {
    // Sized from the file's line count, the column is rarely more than a line too long: a view then
    // costs no copy (and no second column at the peak); a column that grew is trimmed.
    const slack = this.values.length - this.length;
    return (slack <= 1024 ? this.values.subarray(0, this.length) : this.values.slice(0, this.length)) as T;
  }
}

const int32s = (length: number) => new GrowingColumn(new Int32Array(length), (n) => new Int32Array(n));
const float64s = (length: number) => new GrowingColumn(new Float64Array(length), (n) => new Float64Array(n));
const bytesColumn = (length: number) => new GrowingColumn(new Uint8Array(length), (n) => new Uint8Array(n));

/** Lines in the file: an upper bound on its rows, to size the columns once. */
function lineCount(bytes: Uint8Array): number {
  let lines = 1;
  for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) lines++;
  return lines;
}

/** Thrown inside the reader at the first id that is not a plain integer in range: read again with a byte table. */
class NotIntegerIds extends Error {}

/**
 * The row index by id: integer ids (the common case, looked up without hashing) when every id is a
 * plain integer in range, else a byte table. Which one is only known at the first id that is not an
 * integer (usually the first row: "0000.jpg"); the reader then starts again with a table, rather
 * than keep every row's id span in case it has to (two arrays as long as the file).
 */
class SolutionIds {
  private readonly integers: IntegerIds | null;
  private readonly table: ByteTable | null;

  constructor(
    private readonly bytes: Uint8Array,
    expectedRows: number,
    asIntegers: boolean,
  ) {
    // Ids up to twice the rows (and a margin) are dense enough for an array; sparser ones hash.
    this.integers = asIntegers ? new IntegerIds(expectedRows * 2 + 1024, expectedRows) : null;
    this.table = asIntegers ? null : new ByteTable(Math.max(16, expectedRows));
  }

  /** Adds the next row's id; false when the id is there already. */
  add(start: number, end: number): boolean {
    if (this.integers) {
      const value = canonicalInteger(this.bytes, start, end);
      const added = value < 0 ? null : this.integers.add(value);
      if (added === null) throw new NotIntegerIds();
      return added >= 0;
    }
    return this.table!.add(this.bytes, start, end) >= 0;
  }

  lookup(): IdLookup {
    return this.integers ?? this.table!;
  }
}

const P = 0x70;
const R = 0x72;
const I = 0x69;
const USAGE_WORDS: ReadonlyArray<readonly [string, number]> = [
  ['public', USAGE_PUBLIC],
  ['private', USAGE_PRIVATE],
  ['ignored', USAGE_IGNORED],
];

/** USAGE_* of a trimmed Usage cell, any letter case, or -1; reads bytes, never makes a string. */
function usageAt(bytes: Uint8Array, start: number, end: number): number {
  const first = bytes[start]! | 0x20;
  const second = bytes[start + 1]! | 0x20;
  const candidate = first === P ? (second === R ? 1 : 0) : first === I ? 2 : -1;
  if (candidate < 0) return -1;
  const [word, usage] = USAGE_WORDS[candidate]!;
  if (end - start !== word.length) return -1;
  for (let i = 0; i < word.length; i++) if ((bytes[start + i]! | 0x20) !== word.charCodeAt(i)) return -1;
  return usage;
}

/** Parses solution.csv. Throws BundleError with line and column on any problem. */
export function readSolutionCsv(bytes: Uint8Array, spec: SolutionSpec): SolutionTable {
  try {
    assertTextFile(bytes, 'solution.csv');
  } catch (error) {
    bundleError(error);
  }
  // Checked and counted once: a second read (ids that are not integers) only parses the rows again.
  const expectedRows = lineCount(bytes);
  try {
    return readSolution(bytes, spec, expectedRows, true);
  } catch (error) {
    if (error instanceof NotIntegerIds) return readSolution(bytes, spec, expectedRows, false);
    throw error;
  }
}

function readSolution(bytes: Uint8Array, spec: SolutionSpec, expectedRows: number, integerIds: boolean): SolutionTable {
  const columns = [spec.idColumn, ...spec.targetColumns, USAGE_COLUMN];
  const scanner = new CsvScanner(bytes, columns.length + 1);
  const vocabulary = spec.targetKind === 'label' ? buildVocabulary(spec.labels) : undefined;
  const fail = (message: string, column?: number): never => {
    throw new BundleError({
      code: 'SOLUTION_INVALID',
      message: `solution.csv line ${scanner.line}: ${message}`,
      line: scanner.line,
      ...(column === undefined ? {} : { column: column + 1 }),
    });
  };
  try {
    if (!scanner.next()) throw new BundleError({ code: 'SOLUTION_EMPTY', message: 'solution.csv has no header.' });
    const header = matchHeader(scanner, { required: columns });
    if ('problem' in header)
      throw new BundleError({ ...header.problem, message: `solution.csv: ${header.problem.message}` });
    const idAt = header.positions.get(spec.idColumn)!;
    const usageColumn = header.positions.get(USAGE_COLUMN)!;
    const targetAt = spec.targetColumns.map((name) => header.positions.get(name)!);

    const ids = new SolutionIds(bytes, expectedRows, integerIds);
    const usage = bytesColumn(expectedRows);
    const numbers = spec.targetKind === 'number' ? float64s(expectedRows) : undefined;
    const codes = spec.targetKind === 'label' ? int32s(expectedRows) : undefined;
    const texts = targetAt.map(() => [] as string[]);
    const missing = targetAt.map(() => [] as number[]);
    while (scanner.next()) {
      if (scanner.fieldCount !== columns.length)
        fail(`expected ${columns.length} fields, found ${scanner.fieldCount}.`);
      const idStart = scanner.trimmedStart(idAt);
      const idEnd = scanner.trimmedEnd(idAt);
      if (idStart === idEnd) fail('empty id.', idAt);
      if ((scanner.flags[idAt]! & FIELD_ESCAPED) !== 0) fail('ids must not contain double quotes.', idAt);
      if (!ids.add(idStart, idEnd)) fail(`duplicate id "${scanner.text(idAt).trim()}".`, idAt);
      const rowUsage = usageAt(bytes, scanner.trimmedStart(usageColumn), scanner.trimmedEnd(usageColumn));
      if (rowUsage < 0)
        fail(`Usage must be Public, Private or Ignored, not "${scanner.text(usageColumn)}".`, usageColumn);
      usage.push(rowUsage);
      if (numbers) {
        // Number and label tasks have one target column.
        const column = targetAt[0]!;
        const value = parseNumber(bytes, scanner.trimmedStart(column), scanner.trimmedEnd(column));
        if (!Number.isFinite(value)) fail(`target "${scanner.text(column)}" is not a finite number.`, column);
        numbers.push(value);
      } else if (codes) {
        const column = targetAt[0]!;
        const start = scanner.trimmedStart(column);
        const end = scanner.trimmedEnd(column);
        let code = vocabulary!.table.find(bytes, start, end);
        if (code < 0) {
          if (vocabulary!.closed)
            fail(`label "${scanner.text(column).trim()}" is not among the labels task.yaml lists.`, column);
          code = vocabulary!.table.add(bytes, start, end);
        }
        codes.push(code);
      } else {
        for (let target = 0; target < targetAt.length; target++) {
          const column = targetAt[target]!;
          // Several references (HW5-style): an unquoted empty cell is no reference, "" an empty one.
          const absent =
            scanner.starts[column] === scanner.ends[column] && (scanner.flags[column]! & FIELD_QUOTED) === 0;
          if (absent && target === 0)
            fail('the first reference column needs a value on every row (use "" for an empty one).', column);
          texts[target]!.push(absent ? '' : scanner.text(column));
          missing[target]!.push(absent ? 1 : 0);
        }
      }
    }
    if (usage.length === 0)
      throw new BundleError({ code: 'SOLUTION_EMPTY', message: 'solution.csv has a header but no rows.' });
    const targets: ColumnValues[] = spec.targetColumns.map((_, target): ColumnValues => {
      switch (spec.targetKind) {
        case 'number':
          return { kind: 'number', values: numbers!.done() };
        case 'label':
          return { kind: 'label', codes: codes!.done(), classNames: classNamesOf(vocabulary!.table) };
        case 'text':
          return { kind: 'text', values: texts[target]!, missing: Uint8Array.from(missing[target]!) };
      }
    });
    return { rowCount: usage.length, ids: ids.lookup(), targets, usage: usage.done(), vocabulary };
  } catch (error) {
    bundleError(error);
  }
}

/** Every key of a table in index order. */
export function classNamesOf(table: ByteTable): string[] {
  return Array.from({ length: table.size }, (_, index) => table.keyAt(index));
}
