/** What the task asks for (format with an example, metric, baselines), today's quota, and the upload box. */
import { useState } from 'react';
import { Deadline } from '../components/Countdown.tsx';
import { UploadBox } from '../components/UploadBox.tsx';
import { SubmissionSummary } from './MySubmissions.tsx';
import { formatInZone, formatScore, metricLabel } from '../format.ts';
import { taskPath } from '../api.ts';
import { useResource } from '../hooks.ts';
import { renderMarkdown } from '../markdown.ts';
import { Link } from '../router.tsx';
import type { Leaderboard, Quota, Submission, Task } from '../types.ts';

export function TaskOverview({
  task,
  timeZone,
  onQuotaChange,
}: {
  task: Task;
  timeZone: string;
  onQuotaChange: () => void;
}) {
  const [uploaded, setUploaded] = useState<Submission | null>(null);
  const [finished, setFinished] = useState<Submission | null>(null);
  const [quota, setQuota] = useState<Quota | undefined>(task.quota);
  // My place on the public board, read before an upload and again once it is scored, for the change.
  const board = useResource<Leaderboard>(taskPath(task.course, task.slug, '/leaderboard', { limit: 1 }), {
    keepPrevious: true,
  });
  const [before, setBefore] = useState<Leaderboard['me'] | undefined>(undefined);
  const shown = { ...task, quota: quota ?? task.quota };
  return (
    <div className="columns">
      <section className="card" aria-labelledby="about-title">
        <h2 id="about-title">About this task</h2>
        {task.description && (
          // renderMarkdown escapes raw HTML and makes links safe (markdown.ts).
          <div className="description" dangerouslySetInnerHTML={{ __html: renderMarkdown(task.description) }} />
        )}
        {task.state === 'archived' && (
          <p className="notice">The TAs archived this task: its boards and your files stay, uploads are closed.</p>
        )}
        <dl className="facts">
          <dt>Metric</dt>
          <dd>{metricLabel(task.metric.name, task.direction)}</dd>
          <dt>Deadline</dt>
          <dd>
            <Deadline iso={task.deadlineForYou ?? task.deadline} timeZone={timeZone} label={null} />
            {task.deadlineExtended && (
              <span className="extended">
                {' '}
                · extended for you by a TA
                {task.deadline ? ` (the class's: ${formatInZone(task.deadline, timeZone)})` : ''}
              </span>
            )}
          </dd>
          {task.late && (
            <>
              <dt>Late window</dt>
              <dd>
                until {formatInZone(task.late.until, timeZone)}:{' '}
                {task.late.policy === 'penalty'
                  ? `points × ${task.late.factor}`
                  : task.late.policy === 'unranked'
                    ? 'scored, not ranked'
                    : 'refused'}
              </dd>
            </>
          )}
          {task.revealAt && (
            <>
              <dt>Private board</dt>
              <dd>revealed {formatInZone(task.revealAt, timeZone)}</dd>
            </>
          )}
          <dt>Final selection</dt>
          <dd>up to {task.selectionLimit} submissions for the private board (else your best public ones)</dd>
        </dl>
        <h3>Submission format</h3>
        <p>
          {task.format === 'onnx'
            ? 'An ONNX model file.'
            : task.format === 'images'
              ? "An archive of images, scored by the TAs' evaluator models:"
              : task.format === 'program'
                ? "Scored by the TAs' own program, as the description says:"
                : task.format === 'text'
                  ? 'Plain text, one prediction per line, in test order, no header.'
                  : 'CSV with a header row, one prediction per test id:'}{' '}
          <code>{task.submissionExample}</code>
        </p>
        {task.exampleFile && (
          <figure>
            <figcaption className="small muted">Example (ids and values made up)</figcaption>
            <pre className="example" tabIndex={0} aria-label="Example file">
              {task.exampleFile}
            </pre>
          </figure>
        )}
        {task.labels && (
          <p className="small">
            Labels:{' '}
            {task.labels.length <= 12
              ? task.labels.map((label) => (
                  <code key={label} className="label-chip">
                    {label}
                  </code>
                ))
              : `${task.labels.length} classes (${task.labels.slice(0, 5).join(', ')}, …)`}
          </p>
        )}
        <h3>Baselines</h3>
        {task.baselines.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Baseline</th>
                  <th scope="col">Public threshold</th>
                  <th scope="col" className="num">
                    Points
                  </th>
                </tr>
              </thead>
              <tbody>
                {task.baselines.map((baseline) => (
                  <tr key={baseline.name}>
                    <th scope="row">{baseline.name}</th>
                    <td>
                      {Object.entries(baseline.thresholds)
                        .map(
                          ([metric, value]) =>
                            `${metric} ${task.direction === 'higher' ? '≥' : '≤'} ${formatScore(value)}`,
                        )
                        .join(', ')}
                    </td>
                    <td className="num">{baseline.points}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="upload-title">
        <QuotaLine quota={shown.quota} timeZone={timeZone} />
        <UploadBox
          task={shown}
          onUploaded={(submission, newQuota) => {
            setBefore(board.data?.me ?? null);
            setFinished(null);
            setUploaded(submission);
            setQuota(newQuota);
          }}
        />
        <div className="latest" aria-live="polite">
          {uploaded && (
            <>
              <h3>Your upload</h3>
              <SubmissionSummary
                key={uploaded.id}
                submission={uploaded}
                task={task}
                onFinal={(final) => {
                  setFinished(final);
                  board.reload();
                  setQuota(undefined);
                  onQuotaChange();
                }}
              />
              {finished?.status === 'SCORED' && finished.public && !finished.late && before !== undefined && (
                <RankChange
                  task={task}
                  value={finished.public.value}
                  before={before}
                  now={board.loading ? undefined : board.data}
                />
              )}
              <p className="small">
                <Link to={`/courses/${task.course}/tasks/${task.slug}/submissions`}>All my submissions</Link> ·{' '}
                <Link to={`/courses/${task.course}/tasks/${task.slug}/leaderboard`}>Leaderboard</Link>
              </p>
            </>
          )}
        </div>
      </section>
    </div>
  );
}

/** Kaggle's line after a scored upload: the rank now, and this score against the previous best. */
function RankChange({
  task,
  value,
  before,
  now,
}: {
  task: Task;
  value: number;
  before: Leaderboard['me'];
  now: Leaderboard | undefined;
}) {
  if (!now?.me) return null;
  const better = (a: number, b: number) => (task.direction === 'higher' ? a > b : a < b);
  const rank = `Rank ${now.me.rank} of ${now.total}${before && before.rank !== now.me.rank ? ` (was ${before.rank})` : ''}.`;
  const change = !before
    ? 'Your first score on the board.'
    : better(value, before.value)
      ? `An improvement of ${formatScore(Math.abs(value - before.value))} on your previous best of ${formatScore(before.value)}.`
      : `Your previous best of ${formatScore(before.value)} still counts; this one is ${value === before.value ? 'equal' : `${formatScore(Math.abs(value - before.value))} worse`}.`;
  return (
    <p className="notice" data-testid="rank-change">
      {rank} {change}
    </p>
  );
}

function QuotaLine({ quota, timeZone }: { quota: Quota | undefined; timeZone: string }) {
  if (!quota) return null;
  return (
    <p className="quota" data-testid="quota">
      <strong>{quota.remaining}</strong> of {quota.limit} submissions left today
      {quota.extended ? ' (extended for you by a TA)' : ''} · resets at midnight course time,{' '}
      {formatInZone(quota.resetsAt, timeZone)}
    </p>
  );
}
