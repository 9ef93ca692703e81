/**
 * One error type for the whole API. Each has a stable `code`, an HTTP status and a message meant for
 * the person who sent the request; `toProblem` renders it as RFC 9457 `application/problem+json`.
 */
import type { RejectionDetail } from '@mljudge/formats';
import { problemTypeOf } from '@mljudge/scoring';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export class AppError extends Error {
  override name = 'AppError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function toProblem(
  status: number,
  code: string,
  detail: string,
  extensions: Record<string, unknown> = {},
): ProblemDocument {
  return { type: problemTypeOf(code), title: TITLES[status] ?? 'Error', status, detail, code, ...extensions };
}

/** A file rejection (line, column, expected) as problem extensions. */
export function rejectionExtensions(detail: RejectionDetail): Record<string, unknown> {
  const { code: _code, message: _message, ...rest } = detail;
  return rest;
}

export const notFound = (what: string) => new AppError(404, 'NOT_FOUND', `${what} was not found.`);
export const forbidden = (detail: string) => new AppError(403, 'FORBIDDEN', detail);
