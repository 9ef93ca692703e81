/**
 * One student on one task, as a TA sees them: rank and best public score, any override, and every
 * submission with both scores, the selection for the private board and the file. Answers the
 * questions a TA gets by mail ("my upload was lost", "which file did I select?").
 */
import { taskPath } from '../api.ts';
import { LoadError, ProblemMessage } from '../components/ProblemMessage.tsx';
import { formatBytes, formatInZone, formatScore } from '../format.ts';
import { useResource, useTitle } from '../hooks.ts';
import { Link } from '../router.tsx';
import type { Me, Override, Submission } from '../types.ts';

interface StudentOnTask {
  student: { email: string; displayName: string; role: string };
  publicRank: { rank: number; value: number } | null;
  override: Override | null;
  selectedCount: number;
  submissions: Submission[];
}

export function StudentView({ me, course, slug, email }: { me: Me; course: string; slug: string; email: string }) {
  const membership = me.courses.find((c) => c.slug === course);
  const timeZone = membership?.timeZone ?? 'UTC';
  const view = useResource<StudentOnTask>(taskPath(course, slug, `/students/${encodeURIComponent(email)}`));
  useTitle(`${view.data?.student.displayName ?? email} · ${slug}`);
  if (view.error) return <LoadError problem={view.error} />;
  const data = view.data;
  return (
    <div className="dashboard">
      <div className="page-head">
        <p className="crumbs">
          <Link to={`/courses/${course}/admin/tasks/${slug}`}>TA dashboard · {slug}</Link> /
        </p>
        <h1>{data?.student.displayName ?? email}</h1>
        <p className="muted">{email}</p>
      </div>
      {data === undefined ? (
        <div className="card placeholder tall" aria-busy="true" />
      ) : (
        <>
          <section className="card" aria-labelledby="standing-title">
            <h2 id="standing-title">Standing</h2>
            <dl className="facts">
              <dt>Public board</dt>
              <dd>
                {data.publicRank
                  ? `rank ${data.publicRank.rank}, best ${formatScore(data.publicRank.value)}`
                  : 'not on the board'}
              </dd>
              <dt>Submissions</dt>
              <dd>
                {data.submissions.length} ({data.selectedCount} selected for the private board)
              </dd>
              <dt>Override</dt>
              <dd>
                {data.override
                  ? `+${data.override.extraDailySubmissions} a day${data.override.deadline ? `, deadline ${formatInZone(data.override.deadline, timeZone)}` : ''}: ${data.override.reason}`
                  : 'none'}
              </dd>
            </dl>
          </section>
          <section className="card" aria-labelledby="submissions-title">
            <h2 id="submissions-title">Submissions</h2>
            {data.submissions.length === 0 ? (
              <p>No submissions on this task.</p>
            ) : (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Uploaded ({timeZone})</th>
                      <th scope="col">Status</th>
                      <th scope="col" className="num">
                        Public
                      </th>
                      <th scope="col" className="num">
                        Private
                      </th>
                      <th scope="col">Selected</th>
                      <th scope="col">File</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.submissions.map((submission) => (
                      <tr key={submission.id} data-testid="student-submission">
                        <td>
                          {formatInZone(submission.createdAt, timeZone)}
                          {submission.late ? ' (late)' : ''}
                        </td>
                        <td>
                          {submission.status}
                          {submission.error && <ProblemMessage problem={submission.error} />}
                        </td>
                        <td className="num">{submission.public ? formatScore(submission.public.value) : '—'}</td>
                        <td className="num">{submission.private ? formatScore(submission.private.value) : '—'}</td>
                        <td>{submission.selected ? 'yes' : ''}</td>
                        <td>
                          <a href={`/v1/submissions/${encodeURIComponent(submission.id)}/file`} download>
                            {submission.originalName}
                          </a>{' '}
                          <span className="small muted">{formatBytes(submission.bytes)}</span>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      )}
    </div>
  );
}
