/** The user's account: API tokens for scripts and CI (created, shown once, revoked), and the password. */
import { useState, type FormEvent } from 'react';
import { api, problemOf } from '../api.ts';
import { ProblemMessage } from '../components/ProblemMessage.tsx';
import { formatLocal } from '../format.ts';
import { useAction, useResource, useTitle } from '../hooks.ts';
import type { ApiTokenInfo, Me, Problem } from '../types.ts';
import { formText } from '../forms.ts';

export function AccountPage({ me }: { me: Me }) {
  useTitle('Account');
  return (
    <>
      <div className="page-head">
        <h1>{me.displayName}</h1>
        <p className="muted">
          {me.email} · {me.courses.map((c) => `${c.title} (${c.role})`).join(', ') || 'no courses'}
        </p>
      </div>
      <div className="columns">
        <TokensPanel />
        <PasswordPanel />
      </div>
    </>
  );
}

function TokensPanel() {
  const tokens = useResource<{ tokens: ApiTokenInfo[] }>('/v1/me/tokens');
  const [created, setCreated] = useState<string | null>(null);
  const action = useAction();
  const create = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const days = Number(data.get('days') || 0);
    void action.run(async () => {
      const answer = await api<{ token: string }>('POST', '/v1/me/tokens', {
        name: formText(data, 'name'),
        ...(days > 0 ? { expiresInDays: days } : {}),
      });
      setCreated(answer.token);
      form.reset();
      tokens.reload();
    });
  };
  const revoke = (token: ApiTokenInfo) =>
    action.run(async () => {
      await api('DELETE', `/v1/me/tokens/${token.id}`);
      tokens.reload();
    });
  return (
    <section className="card" aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      <p className="small muted">
        For the <code>mljudge</code> CLI and CI pipelines: <code>Authorization: Bearer &lt;token&gt;</code>. A token can
        do everything you can.
      </p>
      <form onSubmit={create} className="inline-form">
        <label htmlFor="token-name">Name</label>
        <input id="token-name" name="name" required maxLength={80} placeholder="e.g. github-actions" />
        <label htmlFor="token-days">Expires in days</label>
        <input id="token-days" name="days" type="number" min={0} max={3650} placeholder="never" />
        <button type="submit">Create token</button>
      </form>
      {created && (
        <div className="notice" role="status">
          <p>Copy this token now; it is not shown again.</p>
          <p>
            <code className="secret" data-testid="new-token">
              {created}
            </code>{' '}
            <button type="button" onClick={() => void navigator.clipboard?.writeText(created)}>
              Copy
            </button>
          </p>
        </div>
      )}
      {action.problem && <ProblemMessage problem={action.problem} />}
      {tokens.data &&
        (tokens.data.tokens.length === 0 ? (
          <p className="muted">No tokens.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Starts with</th>
                  <th scope="col">Created</th>
                  <th scope="col">Expires</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.data.tokens.map((token) => (
                  <tr key={token.id}>
                    <td>{token.name}</td>
                    <td>
                      <code>{token.prefix}…</code>
                    </td>
                    <td>{formatLocal(token.createdAt)}</td>
                    <td>{token.expiresAt ? formatLocal(token.expiresAt) : 'never'}</td>
                    <td>
                      <button
                        type="button"
                        className="danger"
                        onClick={() => void revoke(token)}
                        aria-label={`Revoke ${token.name}`}
                      >
                        Revoke
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}

function PasswordPanel() {
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setProblem(null);
    setDone(false);
    if (data.get('next') !== data.get('again'))
      return setProblem({ status: 400, code: 'PASSWORD_MISMATCH', detail: 'The two new passwords differ.' });
    try {
      await api('PUT', '/v1/me/password', {
        currentPassword: formText(data, 'current'),
        newPassword: formText(data, 'next'),
      });
      form.reset();
      setDone(true);
    } catch (error) {
      setProblem(problemOf(error));
    }
  };
  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <form onSubmit={(event) => void submit(event)} className="grid-form">
        <label htmlFor="pw-current">Current password</label>
        <input id="pw-current" name="current" type="password" autoComplete="current-password" required />
        <label htmlFor="pw-next">New password (10+ characters)</label>
        <input id="pw-next" name="next" type="password" autoComplete="new-password" minLength={10} required />
        <label htmlFor="pw-again">New password again</label>
        <input id="pw-again" name="again" type="password" autoComplete="new-password" minLength={10} required />
        <button type="submit">Change password</button>
      </form>
      {problem && <ProblemMessage problem={problem} />}
      {done && (
        <p className="notice" role="status">
          Password changed; your other sessions were signed out.
        </p>
      )}
    </section>
  );
}
