/**
 * Is the grader keeping up? During a deadline rush a TA reads this to tell the class whether a
 * queued upload will be scored in seconds or minutes. Polled every five seconds while on screen.
 */
import { useEffect } from 'react';
import { useResource } from '../../hooks.ts';
import type { SystemStatus } from '../../types.ts';

const POLL_MS = 5000;

function waitText(seconds: number): string {
  if (seconds < 1) return 'none';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  return `${Math.round(seconds / 60)} min`;
}

export function GraderStatusPanel() {
  const status = useResource<SystemStatus>('/v1/status', { keepPrevious: true });
  const { reload } = status;
  useEffect(() => {
    const timer = window.setInterval(reload, POLL_MS);
    return () => window.clearInterval(timer);
  }, [reload]);
  if (!status.data) return null;
  const { queues, keepingUp } = status.data;
  const waiting = queues.reduce((sum, queue) => sum + queue.waiting, 0);
  const longest = Math.max(0, ...queues.map((queue) => queue.oldestWaitSeconds));
  return (
    <section className="card" aria-labelledby="grader-status">
      <h2 id="grader-status">Grader</h2>
      <p className={keepingUp ? 'grader-ok' : 'grader-behind'} role="status">
        {keepingUp
          ? `Keeping up: ${waiting} waiting, longest wait ${waitText(longest)}.`
          : `Falling behind: ${waiting} waiting, longest wait ${waitText(longest)}.`}
      </p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Queue</th>
              <th scope="col">Waiting</th>
              <th scope="col">Scoring</th>
              <th scope="col">Workers</th>
              <th scope="col">Longest wait</th>
            </tr>
          </thead>
          <tbody>
            {queues.map((queue) => (
              <tr key={queue.queue}>
                <td>{queue.queue}</td>
                <td>{queue.waiting}</td>
                <td>{queue.active}</td>
                <td className={queue.workers === 0 && queue.waiting > 0 ? 'grader-behind' : undefined}>
                  {queue.workers}
                </td>
                <td>{waitText(queue.oldestWaitSeconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
