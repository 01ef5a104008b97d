import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The console's build output (web/dist), the same from src/console (tests) and dist/console (built panel). */
export const CONSOLE_DIST_DIR = resolve(__dirname, '../../web/dist');

/**
 * The console's client-side routes: each answers index.html and the single-page app shows the page. Listed
 * one by one rather than as a catch-all, so an unknown path is still the API's 404 and nothing the panel
 * serves (/api, /docs, /docs-json, /metrics, /health) can ever be shadowed.
 */
export const CONSOLE_PAGES = [
  '/',
  '/nodes/:id',
  '/peers',
  '/events',
  '/templates',
  '/webhooks',
  '/tokens',
  '/bindings',
];

/**
 * Only the panel's own origin: every script, style and font is bundled, the QR code is a blob of an API answer.
 * No inline script or style, no frames, no plugins.
 */
export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** X-Frame-Options and nosniff come with every answer (common/http/security-headers.ts). */
function securityHeaders(reply: FastifyReply): void {
  reply.header('content-security-policy', CONSOLE_CONTENT_SECURITY_POLICY);
  reply.header('referrer-policy', 'no-referrer');
}

export interface ConsoleLogger {
  warn: (message: string) => void;
}

/**
 * Serves the web console at / from `distDir`: hashed assets under /assets/ (cached for good), index.html for
 * every console page (never cached, so a new build is picked up). Without a build the panel still serves its
 * API and says why there is no console.
 */
export async function registerConsoleRoutes(
  fastify: FastifyInstance,
  logger: ConsoleLogger,
  distDir = CONSOLE_DIST_DIR,
): Promise<boolean> {
  if (!existsSync(join(distDir, 'index.html'))) {
    logger.warn(`no web console build in ${distDir} (run npm run build); serving the API only`);
    return false;
  }
  await fastify.register(fastifyStatic, {
    root: join(distDir, 'assets'),
    prefix: '/assets/',
    immutable: true,
    maxAge: '365d',
    dotfiles: 'ignore',
    index: false,
  });
  for (const url of CONSOLE_PAGES) {
    fastify.get(url, (_request, reply) => {
      securityHeaders(reply);
      reply.header('cache-control', 'no-cache');
      return reply.sendFile('index.html', distDir, { cacheControl: false });
    });
  }
  return true;
}
