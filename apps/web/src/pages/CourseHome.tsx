/** A course's tasks with deadline countdowns (in the course's time zone) and the user's standing on each. */
import { taskPath } from '../api.ts';
import { Deadline } from '../components/Countdown.tsx';
import { LoadError } from '../components/ProblemMessage.tsx';
import { formatScore, metricLabel } from '../format.ts';
import { useResource, useTitle } from '../hooks.ts';
import { Link } from '../router.tsx';
import type { CourseRef, Leaderboard, Me, Task } from '../types.ts';

export function CourseHome({ me, course: courseSlug }: { me: Me; course?: string }) {
  const courses = courseSlug ? me.courses.filter((c) => c.slug === courseSlug) : me.courses;
  useTitle(courses.length === 1 ? courses[0]!.title : 'Your courses');
  const tasks = useResource<{ tasks: Task[] }>('/v1/tasks');
  if (courseSlug && courses.length === 0)
    return (
      <LoadError problem={{ status: 404, code: 'NOT_FOUND', detail: `You are not in a course "${courseSlug}".` }} />
    );
  if (me.courses.length === 0) {
    return (
      <section className="card">
        <h1>No courses yet</h1>
        <p>Your account is not in any course. Ask your TAs to add you to the roster.</p>
      </section>
    );
  }
  if (tasks.error) return <LoadError problem={tasks.error} />;
  return (
    <>
      {courses.map((course) => (
        <CourseSection
          key={course.slug}
          course={course}
          tasks={tasks.data?.tasks.filter((t) => t.course === course.slug)}
        />
      ))}
    </>
  );
}

function CourseSection({ course, tasks }: { course: CourseRef; tasks: Task[] | undefined }) {
  const sorted = tasks
    ? [...tasks].sort((a, b) => (a.deadline ?? '9').localeCompare(b.deadline ?? '9') || a.slug.localeCompare(b.slug))
    : undefined;
  return (
    <section aria-labelledby={`course-${course.slug}`} className="course">
      <div className="page-head">
        <h1 id={`course-${course.slug}`}>{course.title}</h1>
        <p className="muted">
          {course.role === 'student' ? 'Student' : course.role === 'ta' ? 'TA' : 'Admin'} · deadlines in{' '}
          {course.timeZone}
          {course.role !== 'student' && (
            <>
              {' '}
              · <Link to={`/courses/${course.slug}/admin`}>TA dashboard</Link>
            </>
          )}
        </p>
      </div>
      {sorted === undefined ? (
        <ul className="task-grid" aria-busy="true">
          {[0, 1, 2].map((i) => (
            <li key={i} className="card task-card placeholder" />
          ))}
        </ul>
      ) : sorted.length === 0 ? (
        <p className="card">No tasks yet.</p>
      ) : (
        <ul className="task-grid">
          {sorted.map((task) => (
            <TaskCard key={task.slug} task={task} course={course} />
          ))}
        </ul>
      )}
    </section>
  );
}

function TaskCard({ task, course }: { task: Task; course: CourseRef }) {
  const board = useResource<Leaderboard>(taskPath(course.slug, task.slug, '/leaderboard', { limit: 1 }));
  const me = board.data?.me;
  const passed = me?.baselines ?? [];
  return (
    <li className="card task-card">
      <h2>
        <Link to={`/courses/${course.slug}/tasks/${task.slug}`}>{task.title}</Link>
      </h2>
      <p className="muted small">
        {task.format.toUpperCase()} · {metricLabel(task.metric.name, task.direction)}
      </p>
      <Deadline iso={task.deadlineForYou ?? task.deadline} timeZone={course.timeZone} />
      {task.deadlineExtended && <p className="small extended">Deadline extended for you by a TA</p>}
      <div className="standing" aria-live="polite">
        {board.data === undefined ? (
          <span className="muted">Loading your standing…</span>
        ) : me ? (
          <span>
            Rank <strong>{me.rank}</strong> of {board.data.total} · best <strong>{formatScore(me.value)}</strong>
            {passed.length > 0 ? <> · beats {passed.join(', ')}</> : null}
          </span>
        ) : (
          <span className="muted">
            {course.role === 'student' ? 'No scored submission yet.' : `${board.data.total} students on the board.`}
          </span>
        )}
      </div>
    </li>
  );
}
