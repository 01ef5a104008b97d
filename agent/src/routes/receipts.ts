import type { Dump, NodeReceipt } from '@wgfleet/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ReceiptSigner } from '../receipt-signer';
import type { StateObserver } from '../wg/wg-service';

/** `GET /v1/receipt-key`: the public key the panel pins at registration; null when this agent signs none. */
export function registerReceiptKeyRoute(app: FastifyInstance, signer: ReceiptSigner | null): void {
  app.get('/v1/receipt-key', async (): Promise<{ public_key: string | null }> => ({
    public_key: signer?.publicKey ?? null,
  }));
}

/**
 * Runs a change that reports the interface's state right after it, and adds the signed receipt of that
 * state to its answer (no receipt without a signer, as older agents answer).
 */
export async function withReceipt<T extends object>(
  signer: ReceiptSigner | null,
  request: FastifyRequest<{ Params: { iface: string } }>,
  change: (observe: StateObserver | undefined) => Promise<T>,
): Promise<T | (T & { receipt: NodeReceipt })> {
  if (!signer) return change(undefined);
  let state: Dump | null = null;
  const answer = await change((dump) => (state = dump));
  if (state === null) return answer;
  const nonce = request.headers['x-agent-nonce'] as string;
  const receipt = signer.sign(request.params.iface, nonce, request.rawBody ?? Buffer.alloc(0), state);
  return { ...answer, receipt };
}
