/** Exit statuses scripts can rely on. */
import { ApiError } from '@mljudge/client';

export const EXIT = {
  ok: 0,
  other: 1,
  rejected: 2,
  belowThreshold: 3,
  auth: 4,
  quota: 5,
} as const;

/** The exit status for an error from the API (or anything else). */
export function exitCodeOf(error: unknown): number {
  if (!(error instanceof ApiError)) return EXIT.other;
  const { status, code } = error.problem;
  if (status === 401 || status === 403) return EXIT.auth;
  if (code === 'QUOTA_EXCEEDED') return EXIT.quota;
  if (status === 422) return EXIT.rejected;
  return EXIT.other;
}
