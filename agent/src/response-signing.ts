import {
  NONCE_HEADER,
  RESPONSE_SIGNATURE_HEADER,
  bodySha256,
  computeResponseSignature,
} from '@wgfleet/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Hashes of streamed bodies: concurrent dumps of one interface send the same bytes, hashed once. */
const streamedHashes = new WeakMap<readonly Buffer[], string>();

function hashOf(payload: unknown, reply: FastifyReply): string | null {
  if (payload === null || payload === undefined) return bodySha256('');
  if (typeof payload === 'string' || Buffer.isBuffer(payload)) return bodySha256(payload);
  const chunks = reply.streamedBody;
  if (!chunks) return null;
  let hash = streamedHashes.get(chunks);
  if (hash === undefined) {
    hash = bodySha256(chunks);
    streamedHashes.set(chunks, hash);
  }
  return hash;
}

/**
 * An onSend hook that signs every answer to a request carrying a nonce (X-Agent-Response-Signature over the
 * status, that nonce and the body), so the panel can tell this agent's answers from anyone else's. A stream
 * is signed only from the bytes the route declared in `reply.streamedBody`; an undeclared stream would go
 * out unsigned, so it fails instead.
 */
export function responseSigner(secret: string) {
  return async (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    const nonce = request.headers[NONCE_HEADER];
    if (typeof nonce !== 'string') return payload;
    const hash = hashOf(payload, reply);
    if (hash === null) throw new Error(`the answer to ${request.method} ${request.url} cannot be signed`);
    reply.header(RESPONSE_SIGNATURE_HEADER, computeResponseSignature(secret, reply.statusCode, nonce, hash));
    return payload;
  };
}
