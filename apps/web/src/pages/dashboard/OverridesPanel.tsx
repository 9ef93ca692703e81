/** Per-student overrides of a task: extra daily submissions or a later deadline, with a reason. */
import type { FormEvent } from 'react';
import { api, taskPath } from '../../api.ts';
import { ProblemMessage } from '../../components/ProblemMessage.tsx';
import { formatInZone, zonedTimeToIso } from '../../format.ts';
import { useAction, type Resource } from '../../hooks.ts';
import type { Override } from '../../types.ts';
import { formText } from '../../forms.ts';
import { Link, navigate } from '../../router.tsx';

export function OverridesPanel({
  course,
  slug,
  timeZone,
  list,
}: {
  course: string;
  slug: string;
  /** The course's zone: the deadline is typed and shown in it, whatever the TA's browser says. */
  timeZone: string;
  list: Resource<{ overrides: Override[] }>;
}) {
  const action = useAction();
  const studentPath = (email: string) =>
    `/courses/${course}/admin/tasks/${slug}/students/${encodeURIComponent(email.trim().toLowerCase())}`;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const deadline = formText(data, 'deadline');
    void action.run(async () => {
      await api('PUT', taskPath(course, slug, `/overrides/${encodeURIComponent(formText(data, 'email'))}`), {
        extraDailySubmissions: Number(data.get('extra') || 0),
        deadline: deadline ? zonedTimeToIso(deadline, timeZone) : null,
        reason: formText(data, 'reason'),
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
        <label htmlFor="ov-deadline">Own deadline (course time, {timeZone})</label>
        <input id="ov-deadline" name="deadline" type="datetime-local" />
        <label htmlFor="ov-reason">Reason for the override</label>
        <input id="ov-reason" name="reason" minLength={3} required placeholder="e.g. medical certificate" />
        <button type="submit" disabled={action.busy}>
          Save override
        </button>
      </form>
      {action.problem && <ProblemMessage problem={action.problem} />}
      <form
        className="inline-form"
        aria-label="Look up a student"
        onSubmit={(event) => {
          event.preventDefault();
          navigate(studentPath(formText(new FormData(event.currentTarget), 'email')));
        }}
      >
        <label htmlFor="lookup-email">One student's submissions, scores and files</label>
        <input id="lookup-email" name="email" type="email" required placeholder="student email" />
        <button type="submit">Look up</button>
      </form>
      {list.data && list.data.overrides.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Student</th>
                <th scope="col" className="num">
                  Extra/day
                </th>
                <th scope="col">Deadline</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {list.data.overrides.map((o) => (
                <tr key={o.email}>
                  <td>
                    <Link to={studentPath(o.email)}>{o.email}</Link>
                  </td>
                  <td className="num">{o.extraDailySubmissions}</td>
                  <td>{o.deadline ? formatInZone(o.deadline, timeZone) : '—'}</td>
                  <td>{o.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
