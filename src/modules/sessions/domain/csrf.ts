import { createHash, timingSafeEqual } from 'node:crypto';

/** What a cookie-authenticated request shows that bears on cross-site request forgery. */
export interface CsrfEvidence {
  method: string;
  origin: string | undefined;
  referer: string | undefined;
  /** The X-CSRF-Token header. */
  token: string | undefined;
}

export type CsrfDecision = { allowed: true } | { allowed: false; reason: string };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** SHA-256 of a session's CSRF token, as the session keeps it. */
export function hashCsrfToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * A cookie-authenticated write is accepted only from one of the panel's own origins (the Origin header, or the
 * Referer's origin where a browser sends no Origin) and with the session's CSRF token in X-CSRF-Token: a cookie
 * travels with requests another site makes, the token and a forged Origin do not. Reads change nothing and pass.
 */
export function decideCsrf(
  evidence: CsrfEvidence,
  allowedOrigins: readonly string[],
  tokenHash: string,
): CsrfDecision {
  if (SAFE_METHODS.has(evidence.method.toUpperCase())) return { allowed: true };
  const origin = evidence.origin ?? originOf(evidence.referer);
  if (!origin) return { allowed: false, reason: 'a write with a session cookie needs an Origin header' };
  if (!allowedOrigins.includes(origin))
    return {
      allowed: false,
      reason: `a write with a session cookie may not come from ${origin.slice(0, 200)}`,
    };
  if (!evidence.token) return { allowed: false, reason: 'a write with a session cookie needs X-CSRF-Token' };
  const expected = Buffer.from(tokenHash, 'hex');
  const given = Buffer.from(hashCsrfToken(evidence.token), 'hex');
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { allowed: false, reason: "X-CSRF-Token is not this session's" };
  return { allowed: true };
}

function originOf(referer: string | undefined): string | null {
  if (!referer) return null;
  try {
    const origin = new URL(referer).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}
