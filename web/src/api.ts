import {
  CLIENT_HEADER,
  createWgfleetClient,
  expectOk,
  isPlanAnswer,
  isQueuedJob,
  WgfleetApiError,
} from '@wgfleet/client';
import type { Me, SignInOptions } from './types';

const TOKEN_KEY = 'wgfleet.console.token';

/** The API token lives in sessionStorage: this tab only, gone when it closes or on logout. */
export const session = {
  token: (): string | undefined => sessionStorage.getItem(TOKEN_KEY) ?? undefined,
  save: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

const CSRF_COOKIE = 'wgfleet_csrf';

/** Tells the panel that what a request does was done in the console (docs/API.md, Actors). */
const CLIENT_NAME = 'console';

/**
 * A signed-in user's CSRF token, from the panel's script-readable cookie: the session itself is in an HttpOnly
 * cookie the browser sends by itself, and every write must also carry this token (docs/SECURITY.md "Sessions").
 */
export function csrfToken(): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === CSRF_COOKIE && value) return value;
  }
  return undefined;
}

/** Same origin as the console: no CORS, no other host. Signed in with SSO, no token: the session cookie. */
export const api = createWgfleetClient({
  baseUrl: location.origin,
  token: session.token,
  csrfToken,
  clientName: CLIENT_NAME,
});

/**
 * Who a token belongs to, or without one who the browser's session is; a WgfleetApiError (401) when the panel
 * accepts neither.
 */
export function whoAmI(token?: string): Promise<Me> {
  return expectOk(api.GET('/api/me', token ? { headers: { Authorization: `Bearer ${token}` } } : {}));
}

/** Whether the login page offers single sign-on, and its label. */
export function signInOptions(): Promise<SignInOptions> {
  return expectOk(api.GET('/auth/oidc/config'));
}

/** Ends the browser's session on the panel; the provider's logout URL where it has one. */
export async function signOut(): Promise<string | null> {
  return (await expectOk(api.POST('/auth/logout'))).end_session_url;
}

/** An answer that is not JSON (a client config, a QR code) as a Blob, with the token or the session cookie. */
export async function fetchBlob(path: string): Promise<Blob> {
  const token = session.token();
  const response = await fetch(path, {
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), [CLIENT_HEADER]: CLIENT_NAME },
  });
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => undefined);
    const error = (body as { error?: { code: string; message: string } } | undefined)?.error;
    throw new WgfleetApiError(
      response.status,
      error?.code ?? 'http_' + response.status,
      error?.message ?? response.statusText,
    );
  }
  return response.blob();
}

export function errorText(error: unknown): string {
  if (error instanceof WgfleetApiError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

export { expectOk, isPlanAnswer, isQueuedJob, WgfleetApiError };
