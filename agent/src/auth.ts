import { NonceCache, verifyRequest } from '@wgfleet/protocol';
import type { FastifyRequest } from 'fastify';
import { AgentHttpError } from './errors';

const EMPTY_BODY = Buffer.alloc(0);

/**
 * A hook that lets a request through only with a valid v1 signature over its method, request target as
 * sent, timestamp, nonce and raw body bytes (CONTRACT §2); otherwise 401 with the contract's code.
 * Requests timestamped before `startedAtS` are refused: the nonce cache lives in memory, so only this keeps
 * a request captured before a restart from being replayed after it.
 */
export function signatureCheck(secret: string, maxSkewS: number, startedAtS: number) {
  const nonces = new NonceCache(maxSkewS);
  return async (request: FastifyRequest): Promise<void> => {
    const result = verifyRequest({
      secret,
      method: request.method,
      target: request.raw.url ?? '',
      headers: request.headers,
      body: request.rawBody ?? EMPTY_BODY,
      maxSkewS,
      nonces,
      notBeforeS: startedAtS,
    });
    if (!result.ok) {
      request.authFailure = result.code;
      throw new AgentHttpError(401, result.code, result.message);
    }
  };
}
