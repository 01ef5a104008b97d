import { useEffect, useState } from 'preact/hooks';
import { errorText, signInOptions, whoAmI } from '../api';
import { usePageHeading } from '../hooks';
import type { Me, SignInOptions } from '../types';

const SIGN_IN_ERRORS: Record<string, string> = {
  expired: 'The sign-in took too long or was already used: try again.',
  failed: "The identity provider's answer was refused; the panel's log says why.",
};

/** A refused single sign-on comes back as `/?sign_in_error=<code>`: shown once, then taken out of the URL. */
function signInError(): string | undefined {
  const code = new URLSearchParams(location.search).get('sign_in_error');
  if (code === null) return undefined;
  history.replaceState(null, '', location.pathname);
  return SIGN_IN_ERRORS[code] ?? SIGN_IN_ERRORS.failed;
}

export function Login({ problem, onLogin }: { problem?: string; onLogin: (token: string, me: Me) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState(() => signInError() ?? problem);
  const [busy, setBusy] = useState(false);
  const [sso, setSso] = useState<SignInOptions>();

  useEffect(() => {
    // Without the answer the token field alone is offered: it is the way in when the provider is down.
    signInOptions().then(setSso, () => undefined);
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      onLogin(token.trim(), await whoAmI(token.trim()));
    } catch (caught) {
      setError(errorText(caught));
      setBusy(false);
    }
  };

  // Only the tab's title: focus belongs in the token field here, not on the heading.
  usePageHeading('Sign in');
  return (
    <main class="login" id="main">
      <form onSubmit={submit} class="card" aria-describedby="login-help">
        <h1>
          <span class="logo" aria-hidden="true">
            ◆
          </span>{' '}
          wgfleet console
        </h1>
        {sso?.oidc_enabled && (
          <>
            <a
              class="button primary sso"
              href={`${sso.login_url}?return_to=${encodeURIComponent(location.pathname)}`}
            >
              Sign in with {sso.display_name}
            </a>
            <p class="muted sso-or">or, for break-glass and automation, with an API token:</p>
          </>
        )}
        <p id="login-help" class="muted">
          Sign in with an API token. It is kept for this browser tab only and forgotten when you sign out or
          close the tab.
        </p>
        <label for="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          required
          value={token}
          onInput={(event) => setToken(event.currentTarget.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'login-error' : undefined}
        />
        {error && (
          <p id="login-error" class="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy || !token.trim()}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
