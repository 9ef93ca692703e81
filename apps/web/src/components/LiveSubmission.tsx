/** A submission whose status follows the server live (queued → running → scored) over SSE. */
import { useState } from 'react';
import { useEventStream } from '../hooks.ts';
import type { Submission } from '../types.ts';

export const FINAL_STATUSES = new Set(['SCORED', 'REJECTED', 'FAILED']);

/** The latest view of `initial`, kept current until it is final. */
export function useLiveSubmission(initial: Submission, onFinal?: (submission: Submission) => void): Submission {
  const [current, setCurrent] = useState(initial);
  // A reloaded list hands in a fresh object: it is newer than anything streamed before it.
  const [tracked, setTracked] = useState(initial);
  if (tracked !== initial) {
    setTracked(initial);
    setCurrent(initial);
  }
  const done = FINAL_STATUSES.has(current.status);
  useEventStream(done ? null : `/v1/submissions/${encodeURIComponent(current.id)}/events`, 'status', (data) => {
    const next = data as Submission;
    setCurrent(next);
    if (FINAL_STATUSES.has(next.status)) {
      onFinal?.(next);
      return 'stop';
    }
  });
  return current;
}

const LABELS: Record<Submission['status'], string> = { QUEUED: 'Queued', RUNNING: 'Scoring…', SCORED: 'Scored', REJECTED: 'Rejected', FAILED: 'Failed' };

export function StatusPill({ status }: { status: Submission['status'] }) {
  return <span className={`pill status-${status.toLowerCase()}`} data-status={status}>{LABELS[status]}</span>;
}
