/** The roster: who is in the course, and a CSV import whose new passwords are shown once. */
import { useState, type FormEvent } from 'react';
import { api } from '../../api.ts';
import { ProblemMessage } from '../../components/ProblemMessage.tsx';
import { useAction, useResource } from '../../hooks.ts';
import type { Member } from '../../types.ts';

interface ImportResult {
  created: number;
  updated: number;
  members: Array<{
    email: string;
    displayName: string;
    role: string;
    created: boolean;
    initialPassword: string | null;
  }>;
}

export function RosterPanel({ course }: { course: string }) {
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
  const credentialsCsv =
    credentials && credentials.length > 0
      ? URL.createObjectURL(
          new Blob(
            [
              [
                'email,name,password',
                ...credentials.map((m) => `${m.email},"${m.displayName.replaceAll('"', '""')}",${m.initialPassword}`),
              ].join('\n') + '\n',
            ],
            { type: 'text/csv' },
          ),
        )
      : null;
  return (
    <section className="card" aria-labelledby="roster-title">
      <h2 id="roster-title">Roster</h2>
      <p className="small muted">
        {members.data
          ? `${members.data.members.filter((m) => m.role === 'student').length} students, ${members.data.members.filter((m) => m.role !== 'student').length} staff.`
          : '\u00a0'}{' '}
        Import a CSV with the columns <code>email,name</code> and optionally <code>role</code> (student, ta) and{' '}
        <code>password</code>. Existing accounts keep their password.
      </p>
      <form onSubmit={submit} className="grid-form">
        <label htmlFor="roster-file">Roster file</label>
        <input id="roster-file" name="roster-file" type="file" accept=".csv,text/csv" />
        <label htmlFor="roster-text">…or paste it</label>
        <textarea
          id="roster-text"
          name="roster-text"
          rows={4}
          placeholder={'email,name\nb11901001@ntu.edu.tw,Lin Yi-Ting'}
        />
        <button type="submit" disabled={action.busy}>
          Import roster
        </button>
      </form>
      {action.problem && <ProblemMessage problem={action.problem} title="Roster not imported (nobody was added)" />}
      {result && (
        <div className="notice" role="status">
          <p>
            Added {result.created}, updated {result.updated}.
          </p>
          {credentialsCsv && (
            <p>
              <a href={credentialsCsv} download={`${course}-new-accounts.csv`}>
                Download the {credentials!.length} new passwords
              </a>{' '}
              — shown only now; hand them to the students.
            </p>
          )}
        </div>
      )}
    </section>
  );
}
