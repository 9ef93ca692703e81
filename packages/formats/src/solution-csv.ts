/**
 * Reads a task's hidden `solution.csv`: an id column, one or more target columns and Kaggle's `Usage`
 * column (`Public`, `Private`, or `Ignored`). Read once per task version and cached by the worker.
 */
import { ByteTable } from './byte-table.ts';
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
  readonly ids: ByteTable;
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

function usageOf(text: string): number {
  switch (text.trim().toLowerCase()) {
    case 'public':
      return USAGE_PUBLIC;
    case 'private':
      return USAGE_PRIVATE;
    case 'ignored':
      return USAGE_IGNORED;
    default:
      return -1;
  }
}

function buildVocabulary(labels: readonly string[] | undefined): LabelVocabulary {
  const table = new ByteTable(labels?.length ?? 64);
  for (const label of labels ?? []) {
    if (table.addString(label) < 0)
      throw new BundleError({ code: 'TASK_LABELS', message: `task.yaml lists label "${label}" twice.` });
  }
  return { table, closed: labels !== undefined };
}

/** Parses solution.csv. Throws BundleError with line and column on any problem. */
export function readSolutionCsv(bytes: Uint8Array, spec: SolutionSpec): SolutionTable {
  try {
    assertTextFile(bytes, 'solution.csv');
  } catch (error) {
    bundleError(error);
  }
  const columns = [spec.idColumn, ...spec.targetColumns, USAGE_COLUMN];
  const scanner = new CsvScanner(bytes, columns.length + 1);
  const vocabulary = spec.targetKind === 'label' ? buildVocabulary(spec.labels) : undefined;
  try {
    if (!scanner.next()) throw new BundleError({ code: 'SOLUTION_EMPTY', message: 'solution.csv has no header.' });
    const header = matchHeader(scanner, { required: columns });
    if ('problem' in header)
      throw new BundleError({ ...header.problem, message: `solution.csv: ${header.problem.message}` });
    const idAt = header.positions.get(spec.idColumn)!;
    const usageAt = header.positions.get(USAGE_COLUMN)!;
    const targetAt = spec.targetColumns.map((name) => header.positions.get(name)!);

    const ids = new ByteTable(Math.max(16, bytes.length >>> 4));
    const usage: number[] = [];
    const numbers = targetAt.map(() => [] as number[]);
    const codes: number[] = [];
    const texts = targetAt.map(() => [] as string[]);
    const missing = targetAt.map(() => [] as number[]);
    while (scanner.next()) {
      const fail = (message: string, column?: number): never => {
        throw new BundleError({
          code: 'SOLUTION_INVALID',
          message: `solution.csv line ${scanner.line}: ${message}`,
          line: scanner.line,
          ...(column === undefined ? {} : { column: column + 1 }),
        });
      };
      if (scanner.fieldCount !== columns.length)
        fail(`expected ${columns.length} fields, found ${scanner.fieldCount}.`);
      const idStart = scanner.trimmedStart(idAt);
      const idEnd = scanner.trimmedEnd(idAt);
      if (idStart === idEnd) fail('empty id.', idAt);
      if ((scanner.flags[idAt]! & FIELD_ESCAPED) !== 0) fail('ids must not contain double quotes.', idAt);
      if (ids.add(bytes, idStart, idEnd) < 0) fail(`duplicate id "${scanner.text(idAt).trim()}".`, idAt);
      const rowUsage = usageOf(scanner.text(usageAt));
      if (rowUsage < 0) fail(`Usage must be Public, Private or Ignored, not "${scanner.text(usageAt)}".`, usageAt);
      usage.push(rowUsage);
      targetAt.forEach((column, target) => {
        if (spec.targetKind === 'number') {
          const value = parseNumber(bytes, scanner.trimmedStart(column), scanner.trimmedEnd(column));
          if (!Number.isFinite(value)) fail(`target "${scanner.text(column)}" is not a finite number.`, column);
          numbers[target]!.push(value);
        } else if (spec.targetKind === 'label') {
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
          // Several references (HW5-style): an unquoted empty cell is no reference, "" an empty one.
          const absent =
            scanner.starts[column] === scanner.ends[column] && (scanner.flags[column]! & FIELD_QUOTED) === 0;
          if (absent && target === 0)
            fail('the first reference column needs a value on every row (use "" for an empty one).', column);
          texts[target]!.push(absent ? '' : scanner.text(column));
          missing[target]!.push(absent ? 1 : 0);
        }
      });
    }
    if (usage.length === 0)
      throw new BundleError({ code: 'SOLUTION_EMPTY', message: 'solution.csv has a header but no rows.' });
    const targets: ColumnValues[] = spec.targetColumns.map((_, target): ColumnValues => {
      switch (spec.targetKind) {
        case 'number':
          return { kind: 'number', values: Float64Array.from(numbers[target]!) };
        case 'label':
          return { kind: 'label', codes: Int32Array.from(codes), classNames: classNamesOf(vocabulary!.table) };
        case 'text':
          return { kind: 'text', values: texts[target]!, missing: Uint8Array.from(missing[target]!) };
      }
    });
    return { rowCount: usage.length, ids, targets, usage: Uint8Array.from(usage), vocabulary };
  } catch (error) {
    bundleError(error);
  }
}

/** Every key of a table in index order. */
export function classNamesOf(table: ByteTable): string[] {
  return Array.from({ length: table.size }, (_, index) => table.keyAt(index));
}
