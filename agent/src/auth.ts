import {
  NONCE_HEADER,
  NonceCache,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyRequest,
} from '@wgfleet/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BODY_LIMIT_BYTES } from './body-limits';
import { AgentHttpError } from './errors';
import type { NonceJournal } from './nonce-journal';

const EMPTY_BODY = Buffer.alloc(0);

/** Methods whose requests only read: their nonces need not reach the disk before they are answered. */
const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * A hook that lets a request through only with a valid v1 signature over its method, request target as
 * sent, timestamp, nonce and raw body bytes (agent/README.md, API); otherwise 401 with the protocol's code.
 * Requests timestamped before `notBeforeS` are refused: nonces seen before then are not known (with a nonce
 * journal, the time since which it holds every accepted nonce; without one, the agent's start). A journal's
 * nonce is on disk before a request that changes something is handled, so a crash cannot let it replay.
 */
export function signatureCheck(
  secret: string,
  maxSkewS: number,
  notBeforeS: number,
  journal: NonceJournal | null,
) {
  const nonces = journal ?? new NonceCache(maxSkewS);
  return async (request: FastifyRequest): Promise<void> => {
    const result = verifyRequest({
      secret,
      method: request.method,
      target: request.raw.url ?? '',
      headers: request.headers,
      body: request.rawBody ?? EMPTY_BODY,
      maxSkewS,
      nonces,
      notBeforeS,
    });
    if (!result.ok) {
      request.authFailure = result.code;
      throw new AgentHttpError(401, result.code, result.message);
    }
    if (journal && !READ_METHODS.has(request.method)) journal.sync();
  };
}

/** How many request bodies above BODY_LIMIT_BYTES may be read at once: a panel sends one per node at a time. */
export const MAX_LARGE_BODIES_IN_FLIGHT = 2;

/**
 * An onRequest hook that acts on routes with a body limit above BODY_LIMIT_BYTES. Their body is read before its signature can be
 * checked, so a request that cannot be a signed one (auth headers missing, timestamp outside the skew window
 * or before the agent's start) is refused before any of it is read, and at most MAX_LARGE_BODIES_IN_FLIGHT
 * bodies above the usual limit are read at once (a body of unknown length counts as large): a client without
 * the secret holds at most that many large buffers, not one per connection.
 */
export function bulkBodyGate(maxSkewS: number, notBeforeS: number) {
  let largeInFlight = 0;
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if ((request.routeOptions.bodyLimit ?? BODY_LIMIT_BYTES) <= BODY_LIMIT_BYTES) return;
    const headers = request.headers;
    const timestamp = headers[TIMESTAMP_HEADER];
    if (
      typeof timestamp !== 'string' ||
      typeof headers[NONCE_HEADER] !== 'string' ||
      typeof headers[SIGNATURE_HEADER] !== 'string'
    ) {
      request.authFailure = 'missing_auth';
      throw new AgentHttpError(
        401,
        'missing_auth',
        'X-Agent-Timestamp, X-Agent-Nonce and X-Agent-Signature are required',
      );
    }
    const timestampS = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : NaN;
    if (!(Math.abs(Date.now() / 1000 - timestampS) <= maxSkewS) || timestampS < notBeforeS) {
      request.authFailure = 'expired';
      throw new AgentHttpError(401, 'expired', "timestamp is outside the agent's clock window");
    }
    const length = Number(headers['content-length']);
    if (Number.isInteger(length) && length <= BODY_LIMIT_BYTES) return;
    if (largeInFlight >= MAX_LARGE_BODIES_IN_FLIGHT) {
      void reply.header('retry-after', '1');
      throw new AgentHttpError(503, 'busy', 'too many large requests at once; try again shortly');
    }
    largeInFlight += 1;
    reply.raw.once('close', () => (largeInFlight -= 1));
  };
}
