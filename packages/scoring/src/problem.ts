/**
 * The problem document (RFC 9457) for a rejected file. The API stores and serves it, and `mljudge
 * score` prints it, from this one function, so a student sees the same error offline and online.
 */
import type { RejectionDetail } from '@mljudge/formats';

export interface RejectionProblem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly line?: number;
  readonly column?: number;
  readonly columnName?: string;
  readonly expected?: string;
  readonly found?: string;
}

/** The problem type URI of an error code. */
export function problemTypeOf(code: string): string {
  return `/docs/problems#${code.toLowerCase().replaceAll('_', '-')}`;
}

export function rejectionProblem(detail: RejectionDetail): RejectionProblem {
  return {
    type: problemTypeOf(detail.code),
    title: 'Submission rejected',
    status: 422,
    code: detail.code,
    detail: detail.message,
    ...(detail.line !== undefined ? { line: detail.line } : {}),
    ...(detail.column !== undefined ? { column: detail.column } : {}),
    ...(detail.columnName !== undefined ? { columnName: detail.columnName } : {}),
    ...(detail.expected !== undefined ? { expected: detail.expected } : {}),
    ...(detail.found !== undefined ? { found: detail.found } : {}),
  };
}
