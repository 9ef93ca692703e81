export { ByteTable } from './byte-table.ts';
export type {
  ColumnValues,
  LabelColumn,
  NumberColumn,
  TextColumn,
  ValueKind,
  LabelVocabulary,
} from './column-values.ts';
export { CsvScanner, FIELD_ESCAPED } from './csv-scanner.ts';
export { matchHeader, type HeaderSpec } from './header.ts';
export { parseNumber } from './number-parse.ts';
export { readPredictionCsv, type PredictionSpec } from './prediction-csv.ts';
export { BundleError, SubmissionRejection, preview, type RejectionDetail } from './rejection.ts';
export { assertTextFile } from './sniff.ts';
export {
  readSolutionCsv,
  classNamesOf,
  USAGE_COLUMN,
  USAGE_IGNORED,
  USAGE_PRIVATE,
  USAGE_PUBLIC,
  type SolutionSpec,
  type SolutionTable,
} from './solution-csv.ts';
export { readTextLines } from './text-lines.ts';
