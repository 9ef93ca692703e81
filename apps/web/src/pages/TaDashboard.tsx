/**
 * The TA dashboard. Every panel reads a staff-only REST endpoint, so a student who opens this page
 * gets the server's 403, not a hidden button.
 */
import { useEffect, useState } from 'react';
import { taskPath } from '../api.ts';
import { HourlyChart, ScoreHistogram } from '../components/Charts.tsx';
import { LoadError } from '../components/ProblemMessage.tsx';
import { useResource, useTitle } from '../hooks.ts';
import { Link, navigate } from '../router.tsx';
import type { Gradebook, IntegrityGroup, Me, Override, RescoreStatus, Task, TaskStats } from '../types.ts';
import { GradesPanel } from './dashboard/GradesPanel.tsx';
import { GraderStatusPanel } from './dashboard/GraderStatusPanel.tsx';
import { IntegrityPanel } from './dashboard/IntegrityPanel.tsx';
import { OverridesPanel } from './dashboard/OverridesPanel.tsx';
import { RescorePanel } from './dashboard/RescorePanel.tsx';
import { RosterPanel } from './dashboard/RosterPanel.tsx';

export function TaDashboard({ me, course, slug }: { me: Me; course: string; slug?: string }) {
  const membership = me.courses.find((c) => c.slug === course);
  useTitle(`TA dashboard · ${membership?.title ?? course}`);
  const gradebook = useResource<Gradebook>(`/v1/courses/${encodeURIComponent(course)}/gradebook`);
  const tasks = useResource<{ tasks: Task[] }>('/v1/tasks');
  // Panels appear top to bottom as their data arrives, so nothing already on screen is pushed down.
  const [taskPanelsReady, setTaskPanelsReady] = useState<string | null>(null);
  if (gradebook.error) return <LoadError problem={gradebook.error} />;
  const courseTasks = tasks.data?.tasks.filter((t) => t.course === course) ?? [];
  const selected = slug ?? courseTasks[0]?.slug;
  const above = tasks.data !== undefined && (selected === undefined || taskPanelsReady === selected);
  return (
    <div className="dashboard">
      <div className="page-head">
        <p className="crumbs">
          <Link to={`/courses/${course}`}>{membership?.title ?? course}</Link> /
        </p>
        <h1>TA dashboard</h1>
      </div>
      <section className="card" aria-labelledby="task-pick">
        <h2 id="task-pick">Task</h2>
        <label htmlFor="task-select" className="sr-only">
          Task
        </label>
        <select
          id="task-select"
          value={selected ?? ''}
          onChange={(event) => navigate(`/courses/${course}/admin/tasks/${event.currentTarget.value}`)}
        >
          {courseTasks.map((task) => (
            <option key={task.slug} value={task.slug}>
              {task.title}
            </option>
          ))}
        </select>
      </section>
      {selected ? (
        <TaskPanels
          key={selected}
          course={course}
          slug={selected}
          timeZone={membership?.timeZone ?? 'UTC'}
          onReady={() => setTaskPanelsReady(selected)}
        />
      ) : tasks.data === undefined ? (
        <TaskPanelsPlaceholder />
      ) : null}
      {above && <GradesPanel course={course} gradebook={gradebook.data} />}
      {above && gradebook.data && <RosterPanel course={course} />}
      {/* Last, so its polling never moves the panels above. */}
      {above && gradebook.data && <GraderStatusPanel />}
    </div>
  );
}

/** The task panels' footprint while the task list loads, so the panels below do not jump down. */
function TaskPanelsPlaceholder() {
  return (
    <div className="columns" aria-busy="true">
      <section className="card">
        <div className="chart placeholder" />
      </section>
      <section className="card">
        <div className="chart placeholder" />
      </section>
    </div>
  );
}

function TaskPanels({
  course,
  slug,
  timeZone,
  onReady,
}: {
  course: string;
  slug: string;
  timeZone: string;
  onReady: () => void;
}) {
  const stats = useResource<TaskStats>(taskPath(course, slug, '/stats'));
  const rescore = useResource<RescoreStatus>(taskPath(course, slug, '/rescore'));
  const overrides = useResource<{ overrides: Override[] }>(taskPath(course, slug, '/overrides'));
  const integrity = useResource<{ groups: IntegrityGroup[] }>(taskPath(course, slug, '/integrity'));
  const [split, setSplit] = useState<'public' | 'private'>('public');
  const settled = [stats, rescore, overrides, integrity].every(
    (resource) => resource.data !== undefined || resource.error !== undefined,
  );
  useEffect(() => {
    if (settled) onReady();
  }, [settled, onReady]);
  if (stats.error) return <LoadError problem={stats.error} />;
  const data = stats.data;
  return (
    <>
      <div className="columns">
        <section className="card" aria-labelledby="dist-title">
          <div className="board-head">
            <h2 id="dist-title">Score distribution</h2>
            <fieldset className="segmented">
              <legend className="sr-only">Board</legend>
              {(['public', 'private'] as const).map((name) => (
                <label key={name} className={split === name ? 'on' : ''}>
                  <input type="radio" name="dist-split" checked={split === name} onChange={() => setSplit(name)} />{' '}
                  {name === 'public' ? 'Public' : 'Private'}
                </label>
              ))}
            </fieldset>
          </div>
          <p className="small muted">
            {data
              ? `${data[split].length} of ${data.students} students scored · ${data.metric} (${data.direction} is better)`
              : '\u00a0'}
          </p>
          {data ? (
            <ScoreHistogram values={data[split]} baselines={data.baselines[split]} metric={data.metric} />
          ) : (
            <div className="chart placeholder" aria-busy="true" />
          )}
        </section>
        <section className="card" aria-labelledby="hourly-title">
          <h2 id="hourly-title">Uploads per hour</h2>
          <p className="small muted">
            {data
              ? Object.entries(data.statuses)
                  .map(([status, count]) => `${count} ${status.toLowerCase()}`)
                  .join(' · ') || 'No uploads yet'
              : '\u00a0'}
          </p>
          {data ? (
            <HourlyChart hourly={data.hourly} deadline={data.deadline} />
          ) : (
            <div className="chart placeholder" aria-busy="true" />
          )}
          <p className="small">
            <a href={taskPath(course, slug, '/submissions.csv')} download>
              Download all submissions (CSV)
            </a>
          </p>
        </section>
      </div>
      {settled && (
        <>
          <div className="columns">
            <RescorePanel course={course} slug={slug} latest={rescore.data ?? null} onDone={stats.reload} />
            <OverridesPanel course={course} slug={slug} timeZone={timeZone} list={overrides} />
          </div>
          <IntegrityPanel report={integrity} />
        </>
      )}
    </>
  );
}
