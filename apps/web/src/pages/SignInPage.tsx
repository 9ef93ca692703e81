/** Sign-in with email and password; the server sets an HttpOnly session cookie. */
import { useState, type FormEvent } from 'react';
import { api, problemOf } from '../api.ts';
import { ProblemMessage } from '../components/ProblemMessage.tsx';
import { useTitle } from '../hooks.ts';
import type { Me, Problem } from '../types.ts';
import { formText } from '../forms.ts';

export function SignInPage({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  useTitle('Sign in');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setProblem(null);
    try {
      const { user } = await api<{ user: Me }>('POST', '/v1/sessions', {
        email: formText(form, 'email'),
        password: formText(form, 'password'),
      });
      onSignedIn(user);
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" className="sign-in">
      <form className="card sign-in-card" onSubmit={(event) => void submit(event)} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to mljudge</h1>
        <p className="muted">Use the email and password your TAs gave you.</p>
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="username" required autoFocus />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        <div className="form-status">{problem && <ProblemMessage problem={problem} title="Sign-in failed" />}</div>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
