/**
 * The user's submissions of a task: live status, public score, baselines passed, the exact validation
 * error of a rejected file, and the toggles that pick the final submissions for the private board.
 */
import { useState } from 'react';
import { api, problemOf, taskPath } from '../api.ts';
import { BaselineBadges } from '../components/Baselines.tsx';
import { StatusPill, useLiveSubmission } from '../components/LiveSubmission.tsx';
import { LoadError, ProblemMessage } from '../components/ProblemMessage.tsx';
import { formatBytes, formatLocal, formatScore } from '../format.ts';
import { useResource } from '../hooks.ts';
import type { Problem, Submission, Task } from '../types.ts';

export function MySubmissions({ task }: { task: Task }) {
  const list = useResource<{ submissions: Submission[] }>(taskPath(task.course, task.slug, '/submissions'));
  const [problem, setProblem] = useState<Problem | null>(null);
  if (list.error) return <LoadError problem={list.error} />;
  const submissions = list.data?.submissions;
  const selectedCount = submissions?.filter((s) => s.selected).length ?? 0;
  const toggle = async (submission: Submission, selected: boolean) => {
    setProblem(null);
    try {
      await api('PUT', `/v1/submissions/${encodeURIComponent(submission.id)}/selection`, { selected });
      list.mutate((data) => ({
        submissions: data.submissions.map((s) => (s.id === submission.id ? { ...s, selected } : s)),
      }));
    } catch (error) {
      setProblem(problemOf(error));
    }
  };
  return (
    <section className="card" aria-labelledby="mine-title">
      <h2 id="mine-title">My submissions</h2>
      <p className="muted small">
        Selected for the private board: {selectedCount} of {task.selectionLimit}
        {selectedCount === 0 ? ' (none selected: your best public ones count)' : ''}.
      </p>
      {problem && <ProblemMessage problem={problem} title="Selection not changed" />}
      {submissions === undefined ? (
        <div className="placeholder tall" aria-busy="true" />
      ) : submissions.length === 0 ? (
        <p>No submissions yet.</p>
      ) : (
        <ol className="submission-list">
          {submissions.map((submission) => (
            <li key={submission.id}>
              <SubmissionSummary submission={submission} task={task} onFinal={list.reload} onToggle={toggle} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** One submission as a card; follows its status live until it is final. */
export function SubmissionSummary({
  submission: initial,
  task,
  onFinal,
  onToggle,
}: {
  submission: Submission;
  task: Task;
  onFinal?: (submission: Submission) => void;
  onToggle?: (submission: Submission, selected: boolean) => Promise<void>;
}) {
  const submission = useLiveSubmission(initial, onFinal);
  const selectable = submission.status === 'SCORED' && !submission.late;
  // The box follows the click at once; if the server refuses, it falls back and the error shows.
  const [pending, setPending] = useState<boolean | null>(null);
  const change = async (selected: boolean) => {
    setPending(selected);
    await onToggle?.(submission, selected);
    setPending(null);
  };
  return (
    <div className="submission" data-testid="submission" data-status={submission.status}>
      <div className="submission-head">
        <StatusPill status={submission.status} />
        <span className="file" title={submission.originalName}>
          {submission.originalName}
        </span>
        <span className="small muted">
          {formatLocal(submission.createdAt)} · {formatBytes(submission.bytes)} ·{' '}
          <a
            href={`/v1/submissions/${encodeURIComponent(submission.id)}/file`}
            download
            aria-label={`Download ${submission.originalName}`}
          >
            download
          </a>
        </span>
      </div>
      {submission.message && <p className="small">{submission.message}</p>}
      {submission.status === 'SCORED' && submission.public && (
        <div className="score-line">
          <span>
            Public {task.metric.name}:{' '}
            <strong data-testid="public-score">{formatScore(submission.public.value)}</strong>
          </span>
          {submission.private && (
            <span>
              Private: <strong>{formatScore(submission.private.value)}</strong>
            </span>
          )}
          {submission.late && <span className="pill">late: not ranked</span>}
          <BaselineBadges all={task.baselines} passed={submission.baselines.public} />
        </div>
      )}
      {submission.error && (
        <ProblemMessage
          problem={submission.error}
          title={submission.status === 'REJECTED' ? 'File rejected (no quota used)' : 'Scoring failed (no quota used)'}
        />
      )}
      {onToggle && (
        <label className="select-toggle">
          <input
            type="checkbox"
            checked={pending ?? submission.selected}
            disabled={!selectable || pending !== null}
            onChange={(event) => void change(event.currentTarget.checked)}
          />
          Use for the private board
        </label>
      )}
    </div>
  );
}
