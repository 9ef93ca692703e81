/**
 * Sign-in: with the university's accounts (OpenID Connect) when the site has a provider, and with
 * email and password. The server sets an HttpOnly session cookie either way. A provider sign-in that
 * was refused comes back here with a code, explained below in words a student can act on.
 */
import { useState, type FormEvent } from 'react';
import { api, problemOf } from '../api.ts';
import { ProblemMessage } from '../components/ProblemMessage.tsx';
import { useResource, useTitle } from '../hooks.ts';
import type { Me, Problem } from '../types.ts';
import { formText } from '../forms.ts';

interface Providers {
  password: boolean;
  oidc: { label: string; startUrl: string } | null;
}

const REFUSALS: Record<string, string> = {
  OIDC_NOT_ON_ROSTER:
    'Your account is not on the roster of any course here. Ask your TAs to add the email your university account uses.',
  OIDC_DOMAIN: 'This site accepts university accounts only; sign in with the account of your university.',
  OIDC_EMAIL_UNVERIFIED: 'Your account provider did not confirm an email address, so we cannot match you to a roster.',
  OIDC_EXPIRED: 'The sign-in took too long or was started in another browser. Please try again.',
  OIDC_FAILED: 'The sign-in with your account provider did not complete. Please try again.',
};

/**
 * The refusal this page was sent back with, read once when the app loads: the address loses it, so a
 * reload does not show it again, and the page shows it however often it is mounted.
 */
const refusalOnArrival: Problem | null = takeRefusal();

function takeRefusal(): Problem | null {
  const params = new URLSearchParams(window.location.search);
  const code = params.get('signin_error');
  if (!code) return null;
  params.delete('signin_error');
  const rest = params.toString();
  window.history.replaceState(null, '', `${window.location.pathname}${rest ? `?${rest}` : ''}`);
  return { status: 403, code, detail: REFUSALS[code] ?? REFUSALS.OIDC_FAILED! };
}

export function SignInPage({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  useTitle('Sign in');
  const providers = useResource<Providers>('/v1/auth/providers');
  const [problem, setProblem] = useState<Problem | null>(refusalOnArrival);
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
  const oidc = providers.data?.oidc;
  const returnTo = `${window.location.pathname}${window.location.search}`;
  return (
    <main id="main" className="sign-in">
      <form className="card sign-in-card" onSubmit={(event) => void submit(event)} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to mljudge</h1>
        {oidc && (
          <p>
            <a className="button primary wide" href={`${oidc.startUrl}?returnTo=${encodeURIComponent(returnTo)}`}>
              {oidc.label}
            </a>
          </p>
        )}
        <p className="muted">{oidc ? 'Or use' : 'Use'} the email and password your TAs gave you.</p>
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="username" required autoFocus={!oidc} />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        <div className="form-status">{problem && <ProblemMessage problem={problem} title="Sign-in failed" />}</div>
        <button type="submit" className={oidc ? undefined : 'primary'} disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
