/**
 * Submissions whose status follows the server live (queued → running → scored). A task page opens one
 * stream for all of the user's submissions on the task (browsers allow only a few connections per
 * server, so not one per submission); each card picks the newest of what it was given and what the
 * stream said, and polls slowly as a safety net in case an event was lost.
 */
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { api, taskPath } from '../api.ts';
import { useEventStream } from '../hooks.ts';
import type { Submission, Task } from '../types.ts';

export const FINAL_STATUSES = new Set(['SCORED', 'REJECTED', 'FAILED']);
const SAFETY_POLL_MS = 10_000;

const RANK: Record<Submission['status'], number> = { QUEUED: 0, RUNNING: 1, SCORED: 2, REJECTED: 2, FAILED: 2 };

const Streamed = createContext<ReadonlyMap<string, Submission>>(new Map());

/** Opens the task's submission stream for everything inside. */
export function LiveSubmissionsProvider({ task, children }: { task: Task; children: ReactNode }) {
  const [latest, setLatest] = useState<ReadonlyMap<string, Submission>>(new Map());
  useEventStream(taskPath(task.course, task.slug, '/submissions/events'), 'submission', (data) => {
    const submission = data as Submission;
    setLatest((previous) => new Map(previous).set(submission.id, submission));
  });
  return <Streamed.Provider value={latest}>{children}</Streamed.Provider>;
}

/** The newer of two views of one submission: the further along wins; on a tie, the one we were given
 * (a reloaded list, or a local change such as a selection the server accepted). */
function newer(given: Submission, streamed: Submission | undefined): Submission {
  return streamed && RANK[streamed.status] > RANK[given.status] ? streamed : given;
}

/** The latest view of `initial`; calls `onFinal` once when it finishes while on screen. */
export function useLiveSubmission(initial: Submission, onFinal?: (submission: Submission) => void): Submission {
  const streamed = useContext(Streamed).get(initial.id);
  const [polled, setPolled] = useState<Submission | undefined>(undefined);
  const current = newer(newer(initial, polled), streamed);
  const done = FINAL_STATUSES.has(current.status);
  const wasDone = useRef(done);
  useEffect(() => {
    if (done && !wasDone.current) onFinal?.(current);
    wasDone.current = done;
  }, [done, current, onFinal]);
  useEffect(() => {
    if (done) return;
    const timer = window.setInterval(() => {
      api<Submission>('GET', `/v1/submissions/${encodeURIComponent(initial.id)}`).then(setPolled, () => undefined);
    }, SAFETY_POLL_MS);
    return () => window.clearInterval(timer);
  }, [done, initial.id]);
  return current;
}

const LABELS: Record<Submission['status'], string> = {
  QUEUED: 'Queued',
  RUNNING: 'Scoring…',
  SCORED: 'Scored',
  REJECTED: 'Rejected',
  FAILED: 'Failed',
};

export function StatusPill({ status }: { status: Submission['status'] }) {
  return (
    <span className={`pill status-${status.toLowerCase()}`} data-status={status}>
      {LABELS[status]}
    </span>
  );
}
