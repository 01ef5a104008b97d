import type {
  InterfaceInfo,
  InterfaceUpdateRequest,
  InterfacesResponse,
  SyncconfRequest,
  SyncconfResponse,
} from '@wgfleet/protocol';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { BULK_BODY_LIMIT_BYTES } from '../body-limits';
import { interfaceUpdateSchema, syncconfSchema } from '../validation/schemas';
import type { ReceiptSigner } from '../receipt-signer';
import type { WgService } from '../wg/wg-service';
import { withReceipt } from './receipts';

type IfaceParams = { Params: { iface: string } };

export function registerInterfaceRoutes(
  app: FastifyInstance,
  service: WgService,
  allowed: readonly string[],
  receipts: ReceiptSigner | null,
): void {
  app.get('/v1/interfaces', async (): Promise<InterfacesResponse> => ({
    interfaces: await service.existingInterfaces(allowed),
  }));

  app.get<IfaceParams>('/v1/wg/:iface/dump', async (request, reply) => {
    const json = await service.dumpJson(request.params.iface);
    // Hold the pooled bytes now, before any answer sharing them can finish and hand them back.
    reply.raw.once('close', json.hold());
    reply.streamedBody = json.chunks;
    return reply
      .type('application/json; charset=utf-8')
      .header('content-length', json.byteLength)
      .send(Readable.from(json.chunks, { objectMode: false }));
  });

  app.put<IfaceParams & { Body: InterfaceUpdateRequest }>(
    '/v1/wg/:iface',
    { schema: { body: interfaceUpdateSchema } },
    async (request): Promise<InterfaceInfo> => service.setInterface(request.params.iface, request.body),
  );

  app.post<IfaceParams & { Body: SyncconfRequest }>(
    '/v1/wg/:iface/syncconf',
    { bodyLimit: BULK_BODY_LIMIT_BYTES, schema: { body: syncconfSchema } },
    async (request): Promise<SyncconfResponse> =>
      withReceipt(receipts, request, (observe) =>
        service.syncconf(request.params.iface, request.body, observe),
      ),
  );
}
