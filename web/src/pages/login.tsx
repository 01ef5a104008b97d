import { useState } from 'preact/hooks';
import { errorText, whoAmI } from '../api';
import { usePageHeading } from '../hooks';
import type { Me } from '../types';

export function Login({ problem, onLogin }: { problem?: string; onLogin: (token: string, me: Me) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState(problem);
  const [busy, setBusy] = useState(false);

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
        <p id="login-help" class="muted">
          Sign in with an API token. It is kept for this browser tab only and forgotten when you log out or
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
