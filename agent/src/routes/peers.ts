import { keyFromPathSegment, type BatchRequest, type WirePeer, type WirePeerUpdate } from '@wgfleet/protocol';
import type { FastifyInstance } from 'fastify';
import { badRequest } from '../errors';
import { batchSchema, peerSchema, peerUpdateSchema } from '../validation/schemas';
import type { ReceiptSigner } from '../receipt-signer';
import type { WgService } from '../wg/wg-service';
import { withReceipt } from './receipts';

type PeerParams = { Params: { iface: string; key: string } };

function pathKey(segment: string): string {
  const key = keyFromPathSegment(segment);
  if (!key)
    throw badRequest('key: the path segment must be a WireGuard public key (32 bytes, base64url or base64)');
  return key;
}

export function registerPeerRoutes(
  app: FastifyInstance,
  service: WgService,
  receipts: ReceiptSigner | null,
): void {
  app.post<{ Params: { iface: string }; Body: WirePeer }>(
    '/v1/wg/:iface/peers',
    { schema: { body: peerSchema } },
    async (request, reply) => reply.code(201).send(await service.addPeer(request.params.iface, request.body)),
  );

  app.put<PeerParams & { Body: WirePeerUpdate & { public_key?: string } }>(
    '/v1/wg/:iface/peers/:key',
    { schema: { body: peerUpdateSchema } },
    async (request) => service.updatePeer(request.params.iface, pathKey(request.params.key), request.body),
  );

  app.delete<PeerParams>('/v1/wg/:iface/peers/:key', async (request, reply) => {
    await service.removePeer(request.params.iface, pathKey(request.params.key));
    return reply.code(204).send();
  });

  app.post<{ Params: { iface: string }; Body: Partial<BatchRequest> }>(
    '/v1/wg/:iface/batch',
    { schema: { body: batchSchema } },
    async (request) =>
      withReceipt(receipts, request, (observe) => service.batch(request.params.iface, request.body, observe)),
  );
}
