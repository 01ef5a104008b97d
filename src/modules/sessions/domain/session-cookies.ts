/** The session's secret: HttpOnly, so no script (and no injected one) can read it. */
export const SESSION_COOKIE = 'wgfleet_session';
/** The session's CSRF token: readable by the console's script, which sends it back in X-CSRF-Token. */
export const CSRF_COOKIE = 'wgfleet_csrf';
/** Binds a sign-in's callback to the browser that started it. */
export const LOGIN_COOKIE = 'wgfleet_login';
export const LOGIN_COOKIE_PATH = '/auth/oidc';

export interface CookieOptions {
  httpOnly: boolean;
  sameSite: 'Strict' | 'Lax';
  path: string;
  /** Seconds; 0 deletes the cookie. */
  maxAgeS: number;
}

/**
 * A Set-Cookie value. Always Secure: browsers keep Secure cookies for http://localhost too, so a panel on a
 * workstation works over plain http only when opened as localhost (docs/SECURITY.md "Sessions").
 */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${value}`, `Path=${options.path}`, `Max-Age=${options.maxAgeS}`, 'Secure'];
  if (options.httpOnly) parts.push('HttpOnly');
  parts.push(`SameSite=${options.sameSite}`);
  return parts.join('; ');
}

/**
 * The value of one cookie from a Cookie header; null when it is absent or not a token-shaped value (the panel's
 * cookies are base64url). A cookie sent twice (another path or a sibling domain setting one) is refused
 * rather than guessed at.
 */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  const values = header
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.startsWith(`${name}=`))
    .map((part) => part.slice(name.length + 1));
  if (values.length !== 1) return null;
  return /^[A-Za-z0-9_-]{16,128}$/.test(values[0]) ? values[0] : null;
}
