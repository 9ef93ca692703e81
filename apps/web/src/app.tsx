/** The shell: who is signed in, the header and navigation, and which page the path shows. */
import { lazy, Suspense, useEffect, useState } from 'react';
import { api, ApiError, onSignedOut, problemOf } from './api.ts';
import { Link, match, navigate, useLocation } from './router.tsx';
import type { Me, Problem } from './types.ts';
import { LoadError } from './components/ProblemMessage.tsx';
import { AccountPage } from './pages/AccountPage.tsx';
import { CourseHome } from './pages/CourseHome.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { TaskPage, type TaskTab } from './pages/TaskPage.tsx';

// Chart.js is only needed by TAs: students never download it.
const TaDashboard = lazy(() => import('./pages/TaDashboard.tsx').then((module) => ({ default: module.TaDashboard })));
const StudentView = lazy(() => import('./pages/StudentView.tsx').then((module) => ({ default: module.StudentView })));

export function App() {
  // undefined: still asking the server; null: signed out.
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [bootProblem, setBootProblem] = useState<Problem | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    setBootProblem(null);
    api<Me>('GET', '/v1/me').then(setMe, (error: unknown) => {
      // Signed out is one answer; an unreachable or failing server is another, and says so.
      if (error instanceof ApiError && error.problem.status === 401) setMe(null);
      else setBootProblem(problemOf(error));
    });
    return onSignedOut(() => setMe(null));
  }, [attempt]);
  if (bootProblem) {
    return (
      <main id="main" className="sign-in">
        <div className="sign-in-card">
          <LoadError problem={bootProblem} />
          <button type="button" className="primary" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      </main>
    );
  }
  if (me === undefined) return <div className="boot" aria-busy="true" />;
  if (me === null) return <SignInPage onSignedIn={setMe} />;
  return <Shell me={me} onSignOut={() => setMe(null)} />;
}

function Shell({ me, onSignOut }: { me: Me; onSignOut: () => void }) {
  const { path } = useLocation();
  const courseSlug = /^\/courses\/([^/]+)/.exec(path)?.[1];
  const course =
    me.courses.find((c) => c.slug === (courseSlug ? decodeURIComponent(courseSlug) : undefined)) ??
    (me.courses.length === 1 ? me.courses[0] : undefined);
  const staff = course !== undefined && course.role !== 'student';
  const signOut = async () => {
    await api('DELETE', '/v1/sessions/current').catch(() => undefined);
    onSignOut();
    navigate('/', { replace: true });
  };
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <nav aria-label="Main" className="topbar-inner">
          <Link to={course ? `/courses/${course.slug}` : '/'} className="brand">
            mljudge
          </Link>
          {course && (
            <Link
              to={`/courses/${course.slug}`}
              className="nav-link"
              aria-current={path === `/courses/${course.slug}` ? 'page' : undefined}
            >
              {course.title}
            </Link>
          )}
          {staff && (
            <Link
              to={`/courses/${course.slug}/admin`}
              className="nav-link"
              aria-current={path.startsWith(`/courses/${course.slug}/admin`) ? 'page' : undefined}
            >
              TA dashboard
            </Link>
          )}
          <span className="spacer" />
          <Link
            to="/account"
            className="nav-link"
            aria-current={path === '/account' ? 'page' : undefined}
            title={me.email}
          >
            {me.displayName}
          </Link>
          <button type="button" className="link-button" onClick={() => void signOut()}>
            Sign out
          </button>
        </nav>
      </header>
      <main id="main" className="page" tabIndex={-1}>
        <Suspense fallback={<div className="placeholder tall" aria-busy="true" />}>
          <Page me={me} path={path} />
        </Suspense>
      </main>
    </>
  );
}

const TASK_TABS: Record<string, TaskTab> = {
  '': 'overview',
  data: 'data',
  leaderboard: 'leaderboard',
  submissions: 'submissions',
};

function Page({ me, path }: { me: Me; path: string }) {
  let params: Record<string, string> | null;
  if (path === '/' || path === '/sign-in') return <CourseHome me={me} />;
  if (path === '/account') return <AccountPage me={me} />;
  if ((params = match('/courses/:course', path))) return <CourseHome me={me} course={params.course} />;
  if ((params = match('/courses/:course/admin', path))) return <TaDashboard me={me} course={params.course!} />;
  if ((params = match('/courses/:course/admin/tasks/:slug/students/:email', path)))
    return <StudentView me={me} course={params.course!} slug={params.slug!} email={params.email!} />;
  if ((params = match('/courses/:course/admin/tasks/:slug', path)))
    return <TaDashboard me={me} course={params.course!} slug={params.slug} />;
  if ((params = match('/courses/:course/tasks/:slug', path)))
    return <TaskPage me={me} course={params.course!} slug={params.slug!} tab="overview" />;
  for (const [suffix, tab] of Object.entries(TASK_TABS)) {
    if (suffix && (params = match(`/courses/:course/tasks/:slug/${suffix}`, path)))
      return <TaskPage me={me} course={params.course!} slug={params.slug!} tab={tab} />;
  }
  return (
    <section className="card">
      <h1>Page not found</h1>
      <p>
        There is no page at <code>{path}</code>. <Link to="/">Go to your courses</Link>.
      </p>
    </section>
  );
}
