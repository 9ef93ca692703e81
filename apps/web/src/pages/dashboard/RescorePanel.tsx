/** Rescoring a task, with its progress polled until every submission is done. */
import { useEffect, useState, type FormEvent } from 'react';
import { api, taskPath } from '../../api.ts';
import { ProblemMessage } from '../../components/ProblemMessage.tsx';
import { formatLocal } from '../../format.ts';
import { useAction } from '../../hooks.ts';
import type { RescoreStatus } from '../../types.ts';
import { formText } from '../../forms.ts';

export function RescorePanel({
  course,
  slug,
  latest,
  onDone,
}: {
  course: string;
  slug: string;
  latest: RescoreStatus | null;
  onDone: () => void;
}) {
  const [status, setStatus] = useState<RescoreStatus | null>(null);
  const action = useAction();
  const current = status ?? latest;
  const running = current !== null && current.pending > 0;
  useEffect(() => {
    if (!running) return;
    const poll = async () => {
      const next = await api<RescoreStatus>('GET', taskPath(course, slug, '/rescore')).catch(() => null);
      if (next) setStatus(next);
      if (next && next.pending === 0) onDone();
    };
    const timer = window.setInterval(() => void poll(), 1000);
    return () => window.clearInterval(timer);
  }, [running, course, slug, onDone]);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const reason = formText(new FormData(event.currentTarget), 'reason');
    void action.run(async () =>
      setStatus(await api<RescoreStatus>('POST', taskPath(course, slug, '/rescore'), { reason })),
    );
  };
  return (
    <section className="card" aria-labelledby="rescore-title">
      <h2 id="rescore-title">Rescore</h2>
      <p className="small muted">
        Scores every submission again with the current hidden data and metric; old scores stay in each submission's
        history with the reason.
      </p>
      <form onSubmit={submit} className="inline-form">
        <label htmlFor="rescore-reason">Reason for rescoring</label>
        <input
          id="rescore-reason"
          name="reason"
          minLength={3}
          maxLength={500}
          required
          placeholder="e.g. fixed label noise in the private split"
        />
        <button type="submit" disabled={action.busy || running}>
          Rescore all
        </button>
      </form>
      {action.problem && <ProblemMessage problem={action.problem} />}
      <div className="rescore-progress" aria-live="polite">
        {current ? (
          <>
            <progress max={Math.max(1, current.submissions)} value={current.done} aria-label="Rescoring progress" />
            <span className="small">
              {current.done} of {current.submissions} rescored
              {current.pending > 0 ? ` · ${current.pending} pending` : ' · done'} · “{current.reason}” ·{' '}
              {formatLocal(current.startedAt)}
            </span>
          </>
        ) : (
          <span className="small muted">No rescoring yet.</span>
        )}
      </div>
    </section>
  );
}
