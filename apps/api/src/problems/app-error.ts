/**
 * One error type for the whole API: a documented code (its status comes from the catalog), a message
 * meant for the person who sent the request, extension members and response headers. `toProblem`
 * renders any code as RFC 9457 `application/problem+json`.
 */
import { problemTypeOf } from '@mljudge/scoring';
import { PROBLEMS, statusOf, type ProblemCode } from './catalog.ts';

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
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;

  constructor(
    readonly code: ProblemCode,
    message: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = statusOf(code);
  }
}

/** A problem document for a code; the status is the code's own unless the caller must say otherwise. */
export function toProblem(
  code: string,
  detail: string,
  extensions: Record<string, unknown> = {},
  status = (PROBLEMS as Record<string, { status: number }>)[code]?.status ?? 500,
): ProblemDocument {
  return { type: problemTypeOf(code), title: TITLES[status] ?? 'Error', status, detail, code, ...extensions };
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} was not found.`);
export const forbidden = (detail: string) => new AppError('FORBIDDEN', detail);

/** 503 for a moment of overload or an unreachable backing service: nothing happened, retry soon. */
export function unavailable(code: 'SERVICE_BUSY' | 'SERVICE_UNAVAILABLE', detail: string, retryAfterSeconds: number) {
  return new AppError(code, detail, { retryAfterSeconds }, { 'retry-after': String(retryAfterSeconds) });
}
