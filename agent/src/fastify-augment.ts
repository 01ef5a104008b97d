import type { AuthErrorCode } from '@wgfleet/protocol';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received: what the signature covers. */
    rawBody?: Buffer;
    /** Set when the signature was rejected, for the request log line. */
    authFailure?: AuthErrorCode;
    /** Set for 5xx answers, for the request log line. */
    failure?: string;
  }
  interface FastifyReply {
    /** The bytes of a streamed answer, in order: what its response signature covers. */
    streamedBody?: readonly Buffer[];
  }
}
