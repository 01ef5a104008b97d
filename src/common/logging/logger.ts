import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { IncomingMessage } from 'node:http';
import { Params } from 'nestjs-pino';
import { DestinationStream } from 'pino';

/** Paths never logged: credentials travel in headers and bodies are never logged at all. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-agent-signature"]',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.agent_secret',
  '*.private_key',
  '*.preshared_key',
  '*.secret',
  '*.token',
];

/** Query parameters that carry a sign-in's one-time values (the provider's code and state at the callback). */
const REDACTED_QUERY = ['code', 'state'];

/** A request's URL as logged: a sign-in callback's code and state stay out of the logs. */
export function loggedUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const query = new URLSearchParams(url.slice(at + 1));
  if (!REDACTED_QUERY.some((name) => query.has(name))) return url;
  for (const name of REDACTED_QUERY) if (query.has(name)) query.set(name, '[redacted]');
  return `${url.slice(0, at)}?${query.toString()}`;
}

/**
 * The request's id: the caller's `X-Request-Id` when it is a plain token, else a new UUID. Kept on the raw
 * request, so the HTTP server (which asks first) and the request logger agree on it.
 */
export function requestIdOf(request: IncomingMessage & { id?: unknown }): string {
  if (typeof request.id === 'string') return request.id;
  const given = request.headers['x-request-id'];
  const id = typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
  request.id = id;
  return id;
}

/**
 * Every answer carries its request's id as `X-Request-Id`: the id events and jobs record as their actor's
 * `request_id` (docs/API.md, Actors), so a caller can find what its request did.
 */
export function registerRequestIdHeader(instance: FastifyInstance): void {
  instance.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    return payload;
  });
}

export function loggerParams(level: string, stream?: DestinationStream): Params {
  return {
    pinoHttp: {
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      genReqId: requestIdOf,
      serializers: {
        req: (request: { id: unknown; method: string; url: string }) => ({
          id: request.id,
          method: request.method,
          url: loggedUrl(request.url),
        }),
        res: (response: { statusCode: number }) => ({ status: response.statusCode }),
      },
      // 503 is the panel saying a dependency is down (already logged once as such), not a bug.
      customLogLevel: (_request, response, error) =>
        (error || response.statusCode >= 500) && response.statusCode !== 503
          ? 'error'
          : response.statusCode >= 400
            ? 'warn'
            : 'info',
      autoLogging: { ignore: (request) => request.url === '/health' || request.url === '/metrics' },
      ...(stream ? { stream } : {}),
    },
  };
}
