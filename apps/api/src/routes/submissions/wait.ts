/** `?wait=N`: hold an answer until the submission is finished, woken by the workers' events. */
import { findSubmission, submissionStatus, type SubmissionWithScores } from '@mljudge/db';
import type { Services } from '../../services.ts';

const FINISHED = new Set(['SCORED', 'REJECTED', 'FAILED']);
/** How often a wait re-reads Postgres: often without events, rarely as a safety net with them. */
const POLL_WITHOUT_EVENTS_MS = 200;
const POLL_WITH_EVENTS_MS = 2000;

/** The finished submission, or null when `seconds` passed first. */
export async function waitUntilFinished(
  services: Services,
  id: string,
  seconds: number,
): Promise<SubmissionWithScores | null> {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const status = await submissionStatus(services.db, id);
    if (status === null) return null;
    if (FINISHED.has(status)) return findSubmission(services.db, id);
    const left = until - Date.now();
    if (left <= 0) return null;
    const pause = Math.min(left, services.events ? POLL_WITH_EVENTS_MS : POLL_WITHOUT_EVENTS_MS);
    if (services.events) await services.events.waitFor(id, pause);
    else await new Promise((resolve) => setTimeout(resolve, pause));
  }
}
