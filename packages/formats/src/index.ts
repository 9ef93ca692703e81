export type { ColumnValues, LabelColumn, NumberColumn, TextColumn, ValueKind } from './column-values.ts';
export { CsvScanner } from './csv-scanner.ts';
export { parseNumber } from './number-parse.ts';
export { readPredictionCsv } from './prediction-csv.ts';
export { BundleError, SubmissionRejection, preview, type RejectionDetail } from './rejection.ts';
export { readSolutionCsv, USAGE_PRIVATE, USAGE_PUBLIC, type SolutionSpec, type SolutionTable } from './solution-csv.ts';
export { readTextLines } from './text-lines.ts';
export { decodeSolutionSnapshot, encodeSolutionSnapshot } from './solution-snapshot.ts';
