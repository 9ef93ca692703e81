/** One task: overview with the upload box, its public data, the leaderboard, and the user's submissions, as tabs. */
import { taskPath } from '../api.ts';
import { LiveSubmissionsProvider } from '../components/LiveSubmission.tsx';
import { LoadError } from '../components/ProblemMessage.tsx';
import { useResource, useTitle } from '../hooks.ts';
import { Link } from '../router.tsx';
import type { Me, Task } from '../types.ts';
import { DataTab } from './DataTab.tsx';
import { LeaderboardView } from './LeaderboardView.tsx';
import { MySubmissions } from './MySubmissions.tsx';
import { TaskOverview } from './TaskOverview.tsx';

export type TaskTab = 'overview' | 'data' | 'leaderboard' | 'submissions';

const TABS: Array<{ tab: TaskTab; label: string; suffix: string }> = [
  { tab: 'overview', label: 'Overview & upload', suffix: '' },
  { tab: 'data', label: 'Data', suffix: '/data' },
  { tab: 'leaderboard', label: 'Leaderboard', suffix: '/leaderboard' },
  { tab: 'submissions', label: 'My submissions', suffix: '/submissions' },
];

export function TaskPage({ me, course, slug, tab }: { me: Me; course: string; slug: string; tab: TaskTab }) {
  const task = useResource<Task>(taskPath(course, slug));
  const membership = me.courses.find((c) => c.slug === course);
  useTitle(task.data ? `${task.data.title} · ${TABS.find((t) => t.tab === tab)!.label}` : 'Task');
  if (task.error) return <LoadError problem={task.error} />;
  const base = `/courses/${course}/tasks/${slug}`;
  return (
    <article aria-labelledby="task-title">
      <div className="page-head">
        <p className="crumbs">
          <Link to={`/courses/${course}`}>{membership?.title ?? course}</Link> /
        </p>
        <h1 id="task-title">{task.data?.title ?? slug}</h1>
      </div>
      <nav className="tabs" aria-label="Task sections">
        {TABS.map((entry) => (
          <Link
            key={entry.tab}
            to={base + entry.suffix}
            className="tab"
            aria-current={entry.tab === tab ? 'page' : undefined}
          >
            {entry.label}
          </Link>
        ))}
      </nav>
      {task.data === undefined ? (
        <div className="card placeholder tall" aria-busy="true" />
      ) : (
        <LiveSubmissionsProvider task={task.data}>
          {tab === 'overview' ? (
            <TaskOverview task={task.data} timeZone={membership?.timeZone ?? 'UTC'} onQuotaChange={task.reload} />
          ) : tab === 'data' ? (
            <DataTab task={task.data} />
          ) : tab === 'leaderboard' ? (
            <LeaderboardView task={task.data} staff={membership !== undefined && membership.role !== 'student'} />
          ) : (
            <MySubmissions task={task.data} />
          )}
        </LiveSubmissionsProvider>
      )}
    </article>
  );
}
