/**
 * Why a submitted file cannot be scored. Thrown by readers and validators, carried through the worker
 * into `Submission.errorDetail`, rendered by the API and the CLI as an RFC 9457 problem document.
 * A rejection is the student's to fix: it is never retried and never costs quota.
 */
export interface RejectionDetail {
  /** Stable machine-readable code, e.g. CSV_DUPLICATE_ID. */
  readonly code: string;
  /** One sentence for a person. */
  readonly message: string;
  /** 1-based line in the uploaded file. */
  readonly line?: number;
  /** 1-based CSV column (field number), when the problem is in one field. */
  readonly column?: number;
  /** Name of that column, from the header. */
  readonly columnName?: string;
  /** What the grader expected there. */
  readonly expected?: string;
  /** What it found (truncated, never the hidden data). */
  readonly found?: string;
}

/** An error that carries a problem description (code, message, line, column, expected). */
abstract class DetailedError extends Error {
  constructor(readonly detail: RejectionDetail) {
    super(detail.message);
  }
}

export class SubmissionRejection extends DetailedError {
  override name = 'SubmissionRejection';
}

/** Shortens a value taken from the student's file for an error message. */
export function preview(value: string, max = 40): string {
  const oneLine = value.replace(/[\r\n\t]/g, ' ');
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

/**
 * A problem in the TA's own task data (task.yaml, solution.csv, hidden inputs). Same shape as a
 * rejection, but it is the TA's to fix and it is reported when the bundle is uploaded.
 */
export class BundleError extends DetailedError {
  override name = 'BundleError';
}
