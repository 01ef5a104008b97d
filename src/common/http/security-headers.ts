import type { FastifyInstance } from 'fastify';

/**
 * No page the panel serves may be framed by another site (clickjacking through the API docs, which share the
 * console's origin and its sessionStorage token), and no answer may be sniffed into another type. A route with
 * its own, stricter Content-Security-Policy (the console's pages) keeps it; every other answer, errors and
 * static files included, gets `frame-ancestors 'none'`.
 */
export const DEFAULT_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
};

/** One hook for every answer, so no route (present or future) can leave them out. */
export function registerSecurityHeaders(instance: FastifyInstance): void {
  instance.addHook('onSend', async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(DEFAULT_SECURITY_HEADERS)) {
      if (!reply.hasHeader(name)) reply.header(name, value);
    }
    return payload;
  });
}
