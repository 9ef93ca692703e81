/**
 * The TA dashboard. Every panel reads a staff-only REST endpoint, so a student who opens this page
 * gets the server's 403, not a hidden button.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, ApiError, taskPath } from '../api.ts';
import { HourlyChart, ScoreHistogram } from '../components/Charts.tsx';
import { LoadError, ProblemMessage } from '../components/ProblemMessage.tsx';
import { formatLocal, formatScore } from '../format.ts';
import { useResource, useTitle, type Resource } from '../hooks.ts';
import { Link, navigate } from '../router.tsx';
import type { Gradebook, IntegrityGroup, Me, Member, Override, Problem, RescoreStatus, Task, TaskStats } from '../types.ts';

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
        <p className="crumbs"><Link to={`/courses/${course}`}>{membership?.title ?? course}</Link> /</p>
        <h1>TA dashboard</h1>
      </div>
      <section className="card" aria-labelledby="task-pick">
        <h2 id="task-pick">Task</h2>
        <label htmlFor="task-select" className="sr-only">Task</label>
        <select id="task-select" value={selected ?? ''} onChange={(event) => navigate(`/courses/${course}/admin/tasks/${event.currentTarget.value}`)}>
          {courseTasks.map((task) => <option key={task.slug} value={task.slug}>{task.title}</option>)}
        </select>
      </section>
      {selected ? <TaskPanels key={selected} course={course} slug={selected} onReady={() => setTaskPanelsReady(selected)} /> : tasks.data === undefined ? <TaskPanelsPlaceholder /> : null}
      {above && <GradesPanel course={course} gradebook={gradebook.data} />}
      {above && gradebook.data && <RosterPanel course={course} />}
    </div>
  );
}

/** The task panels' footprint while the task list loads, so the panels below do not jump down. */
function TaskPanelsPlaceholder() {
  return (
    <div className="columns" aria-busy="true">
      <section className="card"><div className="chart placeholder" /></section>
      <section className="card"><div className="chart placeholder" /></section>
    </div>
  );
}

function TaskPanels({ course, slug, onReady }: { course: string; slug: string; onReady: () => void }) {
  const stats = useResource<TaskStats>(taskPath(course, slug, '/stats'));
  const rescore = useResource<RescoreStatus>(taskPath(course, slug, '/rescore'));
  const overrides = useResource<{ overrides: Override[] }>(taskPath(course, slug, '/overrides'));
  const integrity = useResource<{ groups: IntegrityGroup[] }>(taskPath(course, slug, '/integrity'));
  const [split, setSplit] = useState<'public' | 'private'>('public');
  const settled = [stats, rescore, overrides, integrity].every((resource) => resource.data !== undefined || resource.error !== undefined);
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
                  <input type="radio" name="dist-split" checked={split === name} onChange={() => setSplit(name)} /> {name === 'public' ? 'Public' : 'Private'}
                </label>
              ))}
            </fieldset>
          </div>
          <p className="small muted">{data ? `${data[split].length} of ${data.students} students scored · ${data.metric} (${data.direction} is better)` : '\u00a0'}</p>
          {data ? <ScoreHistogram values={data[split]} baselines={data.baselines[split]} metric={data.metric} /> : <div className="chart placeholder" aria-busy="true" />}
        </section>
        <section className="card" aria-labelledby="hourly-title">
          <h2 id="hourly-title">Uploads per hour</h2>
          <p className="small muted">{data ? Object.entries(data.statuses).map(([status, count]) => `${count} ${status.toLowerCase()}`).join(' · ') || 'No uploads yet' : '\u00a0'}</p>
          {data ? <HourlyChart hourly={data.hourly} deadline={data.deadline} /> : <div className="chart placeholder" aria-busy="true" />}
          <p className="small"><a href={taskPath(course, slug, '/submissions.csv')} download>Download all submissions (CSV)</a></p>
        </section>
      </div>
      {settled && (
        <>
          <div className="columns">
            <RescorePanel course={course} slug={slug} latest={rescore.data ?? null} onDone={stats.reload} />
            <OverridesPanel course={course} slug={slug} list={overrides} />
          </div>
          <IntegrityPanel report={integrity} />
        </>
      )}
    </>
  );
}

function useAction() {
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
    } catch (error) {
      setProblem(error instanceof ApiError ? error.problem : { status: 0, code: 'CLIENT', detail: String(error) });
    } finally {
      setBusy(false);
    }
  };
  return { problem, busy, run };
}

function RescorePanel({ course, slug, latest, onDone }: { course: string; slug: string; latest: RescoreStatus | null; onDone: () => void }) {
  const [status, setStatus] = useState<RescoreStatus | null>(null);
  const action = useAction();
  const current = status ?? latest;
  const running = current !== null && current.pending > 0;
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(async () => {
      const next = await api<RescoreStatus>('GET', taskPath(course, slug, '/rescore')).catch(() => null);
      if (next) setStatus(next);
      if (next && next.pending === 0) onDone();
    }, 1000);
    return () => window.clearInterval(timer);
  }, [running, course, slug, onDone]);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get('reason'));
    void action.run(async () => setStatus(await api<RescoreStatus>('POST', taskPath(course, slug, '/rescore'), { reason })));
  };
  return (
    <section className="card" aria-labelledby="rescore-title">
      <h2 id="rescore-title">Rescore</h2>
      <p className="small muted">Scores every submission again with the current hidden data and metric; old scores stay in each submission's history with the reason.</p>
      <form onSubmit={submit} className="inline-form">
        <label htmlFor="rescore-reason">Reason for rescoring</label>
        <input id="rescore-reason" name="reason" minLength={3} maxLength={500} required placeholder="e.g. fixed label noise in the private split" />
        <button type="submit" disabled={action.busy || running}>Rescore all</button>
      </form>
      {action.problem && <ProblemMessage problem={action.problem} />}
      <div className="rescore-progress" aria-live="polite">
        {current ? (
          <>
            <progress max={Math.max(1, current.submissions)} value={current.done} aria-label="Rescoring progress" />
            <span className="small">{current.done} of {current.submissions} rescored{current.pending > 0 ? ` · ${current.pending} pending` : ' · done'} · “{current.reason}” · {formatLocal(current.startedAt)}</span>
          </>
        ) : <span className="small muted">No rescoring yet.</span>}
      </div>
    </section>
  );
}

function OverridesPanel({ course, slug, list }: { course: string; slug: string; list: Resource<{ overrides: Override[] }> }) {
  const action = useAction();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const deadline = String(data.get('deadline') ?? '');
    void action.run(async () => {
      await api('PUT', taskPath(course, slug, `/overrides/${encodeURIComponent(String(data.get('email')))}`), {
        extraDailySubmissions: Number(data.get('extra') || 0),
        deadline: deadline ? new Date(deadline).toISOString() : null,
        reason: String(data.get('reason')),
      });
      form.reset();
      list.reload();
    });
  };
  return (
    <section className="card" aria-labelledby="overrides-title">
      <h2 id="overrides-title">Per-student overrides</h2>
      <form onSubmit={submit} className="grid-form">
        <label htmlFor="ov-email">Student email</label>
        <input id="ov-email" name="email" type="email" required />
        <label htmlFor="ov-extra">Extra submissions per day</label>
        <input id="ov-extra" name="extra" type="number" min={0} max={1000} defaultValue={0} />
        <label htmlFor="ov-deadline">Own deadline (your local time)</label>
        <input id="ov-deadline" name="deadline" type="datetime-local" />
        <label htmlFor="ov-reason">Reason for the override</label>
        <input id="ov-reason" name="reason" minLength={3} required placeholder="e.g. medical certificate" />
        <button type="submit" disabled={action.busy}>Save override</button>
      </form>
      {action.problem && <ProblemMessage problem={action.problem} />}
      {list.data && list.data.overrides.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Student</th><th scope="col" className="num">Extra/day</th><th scope="col">Deadline</th><th scope="col">Reason</th></tr></thead>
            <tbody>{list.data.overrides.map((o) => <tr key={o.email}><td>{o.email}</td><td className="num">{o.extraDailySubmissions}</td><td>{o.deadline ? formatLocal(o.deadline) : '—'}</td><td>{o.reason}</td></tr>)}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function IntegrityPanel({ report }: { report: Resource<{ groups: IntegrityGroup[] }> }) {
  return (
    <section className="card" aria-labelledby="integrity-title">
      <h2 id="integrity-title">Integrity report</h2>
      <p className="small muted">Students who uploaded byte-identical files, or whose submissions have identical public and private scores.</p>
      {report.error ? <ProblemMessage problem={report.error} /> : !report.data ? <div className="placeholder" aria-busy="true" /> : report.data.groups.length === 0 ? <p>Nothing suspicious.</p> : (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Kind</th><th scope="col">Students</th></tr></thead>
            <tbody>{report.data.groups.map((group) => <tr key={`${group.kind}:${group.key}`}><td>{group.kind === 'identical-file' ? 'identical file' : group.kind.replaceAll('-', ' ')}</td><td>{[...new Set(group.students.map((s) => s.email))].join(', ')}</td></tr>)}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const GRADES_PAGE = 100;

function GradesPanel({ course, gradebook }: { course: string; gradebook: Gradebook | undefined }) {
  const [filter, setFilter] = useState('');
  const [limit, setLimit] = useState(GRADES_PAGE);
  const students = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return (gradebook?.students ?? []).filter((s) => !needle || s.email.includes(needle) || s.displayName.toLowerCase().includes(needle));
  }, [gradebook, filter]);
  return (
    <section className="card" aria-labelledby="grades-title">
      <div className="board-head">
        <h2 id="grades-title">Grades</h2>
        <a className="button" href={`/v1/courses/${encodeURIComponent(course)}/gradebook.csv`} download>Export gradebook CSV</a>
      </div>
      <p className="small muted">Points from the baselines passed on the public and private boards{gradebook?.bestOf ? `; the total counts the best ${gradebook.bestOf} tasks` : ''}.</p>
      <label className="search"><span className="sr-only">Filter students</span><input type="search" placeholder="Filter by name or email" value={filter} onChange={(event) => setFilter(event.currentTarget.value)} /></label>
      {!gradebook ? <div className="placeholder tall" aria-busy="true" /> : (
        <div className="table-wrap">
          <table className="grades">
            <thead>
              <tr><th scope="col">Student</th>{gradebook.tasks.map((task) => <th key={task.slug} scope="col" className="num" title={task.title}>{task.slug}</th>)}<th scope="col" className="num">Total</th></tr>
            </thead>
            <tbody>
              {students.slice(0, limit).map((student) => (
                <tr key={student.email}>
                  <th scope="row"><span>{student.displayName}</span><br /><span className="small muted">{student.email}</span></th>
                  {gradebook.tasks.map((task) => {
                    const grade = student.tasks[task.slug];
                    return <td key={task.slug} className="num" title={grade ? `public ${grade.publicPoints} + private ${grade.privatePoints}` : ''}>{grade ? formatScore(grade.points) : '—'}</td>;
                  })}
                  <td className="num"><strong>{formatScore(student.total)}</strong></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {students.length > limit && <button type="button" onClick={() => setLimit(limit + GRADES_PAGE)}>Show {Math.min(GRADES_PAGE, students.length - limit)} more of {students.length - limit}</button>}
    </section>
  );
}

interface ImportResult { created: number; updated: number; members: Array<{ email: string; displayName: string; role: string; created: boolean; initialPassword: string | null }> }

function RosterPanel({ course }: { course: string }) {
  const members = useResource<{ members: Member[] }>(`/v1/courses/${encodeURIComponent(course)}/members`);
  const [result, setResult] = useState<ImportResult | null>(null);
  const action = useAction();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const file = (form.elements.namedItem('roster-file') as HTMLInputElement).files?.[0];
    const pasted = (form.elements.namedItem('roster-text') as HTMLTextAreaElement).value;
    void action.run(async () => {
      const text = file ? await file.text() : pasted;
      setResult(await api<ImportResult>('POST', `/v1/courses/${encodeURIComponent(course)}/members`, text, 'text/csv'));
      form.reset();
      members.reload();
    });
  };
  const credentials = result?.members.filter((m) => m.initialPassword);
  const credentialsCsv = credentials && credentials.length > 0
    ? URL.createObjectURL(new Blob([['email,name,password', ...credentials.map((m) => `${m.email},"${m.displayName.replaceAll('"', '""')}",${m.initialPassword}`)].join('\n') + '\n'], { type: 'text/csv' }))
    : null;
  return (
    <section className="card" aria-labelledby="roster-title">
      <h2 id="roster-title">Roster</h2>
      <p className="small muted">{members.data ? `${members.data.members.filter((m) => m.role === 'student').length} students, ${members.data.members.filter((m) => m.role !== 'student').length} staff.` : '\u00a0'} Import a CSV with the columns <code>email,name</code> and optionally <code>role</code> (student, ta) and <code>password</code>. Existing accounts keep their password.</p>
      <form onSubmit={submit} className="grid-form">
        <label htmlFor="roster-file">Roster file</label>
        <input id="roster-file" name="roster-file" type="file" accept=".csv,text/csv" />
        <label htmlFor="roster-text">…or paste it</label>
        <textarea id="roster-text" name="roster-text" rows={4} placeholder={'email,name\nb11901001@ntu.edu.tw,Lin Yi-Ting'} />
        <button type="submit" disabled={action.busy}>Import roster</button>
      </form>
      {action.problem && <ProblemMessage problem={action.problem} title="Roster not imported (nobody was added)" />}
      {result && (
        <div className="notice" role="status">
          <p>Added {result.created}, updated {result.updated}.</p>
          {credentialsCsv && <p><a href={credentialsCsv} download={`${course}-new-accounts.csv`}>Download the {credentials!.length} new passwords</a> — shown only now; hand them to the students.</p>}
        </div>
      )}
    </section>
  );
}
