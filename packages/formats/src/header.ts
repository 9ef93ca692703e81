/**
 * Matches a CSV header against the columns a reader needs. Names compare case-insensitively and
 * without surrounding spaces (`id` for `Id`), because a different capitalisation is never ambiguous;
 * missing, repeated and unexpected columns are errors that list the expected header.
 */
import type { CsvScanner } from './csv-scanner.ts';
import type { RejectionDetail } from './rejection.ts';

export interface HeaderSpec {
  /** Columns that must be present, in the order shown to the user. */
  readonly required: readonly string[];
  /** Columns that may be present. */
  readonly optional?: readonly string[];
}

/** Column positions by required/optional name (optional ones may be -1). */
export type ColumnPositions = ReadonlyMap<string, number>;

const normalise = (name: string): string => name.trim().toLowerCase();

/**
 * Reads the header record at the scanner's current position. Returns the positions, or a problem
 * description (the caller decides whether it is the student's or the TA's to fix).
 */
export function matchHeader(
  scanner: CsvScanner,
  spec: HeaderSpec,
): { positions: ColumnPositions } | { problem: RejectionDetail } {
  const expected = spec.required.join(',');
  const wanted = new Map<string, string>();
  for (const name of [...spec.required, ...(spec.optional ?? [])]) wanted.set(normalise(name), name);
  const positions = new Map<string, number>();
  for (const name of spec.optional ?? []) positions.set(name, -1);
  const fieldCount = Math.min(scanner.fieldCount, scanner.capacity);
  if (scanner.fieldCount > scanner.capacity) {
    return {
      problem: {
        code: 'CSV_HEADER',
        message: `The header has ${scanner.fieldCount} columns; expected ${expected}.`,
        line: scanner.line,
        expected,
        found: `${scanner.fieldCount} columns`,
      },
    };
  }
  for (let column = 0; column < fieldCount; column++) {
    const found = scanner.text(column);
    const name = wanted.get(normalise(found));
    if (name === undefined) {
      // pandas' DataFrame.to_csv writes its index as a first column with an empty name.
      const hint =
        column === 0 && found.trim() === ''
          ? ' (an unnamed first column is usually a pandas index: save with index=False)'
          : '';
      return {
        problem: {
          code: 'CSV_HEADER',
          message: `Unexpected column "${found.slice(0, 40)}" in the header${hint}; expected ${expected}.`,
          line: scanner.line,
          column: column + 1,
          expected,
          found: found.slice(0, 40),
        },
      };
    }
    if ((positions.get(name) ?? -1) !== -1) {
      return {
        problem: {
          code: 'CSV_HEADER',
          message: `Column "${name}" appears twice in the header.`,
          line: scanner.line,
          column: column + 1,
          expected,
        },
      };
    }
    positions.set(name, column);
  }
  const missing = spec.required.filter((name) => (positions.get(name) ?? -1) === -1);
  if (missing.length > 0) {
    return {
      problem: {
        code: 'CSV_HEADER',
        message: `The header lacks column${missing.length > 1 ? 's' : ''} ${missing.map((name) => `"${name}"`).join(', ')}; expected ${expected}.`,
        line: scanner.line,
        expected,
        found: Array.from({ length: fieldCount }, (_, i) => scanner.text(i))
          .join(',')
          .slice(0, 80),
      },
    };
  }
  return { positions };
}
