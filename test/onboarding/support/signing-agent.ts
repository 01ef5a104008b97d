import { NONCE_HEADER, RESPONSE_SIGNATURE_HEADER, signResponse, type Dump } from '@wgfleet/protocol';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair } from '../../../src/common/crypto/wireguard-keys';

/**
 * A stand-in agent on loopback from before receipts: it answers every request with an empty dump, signed with
 * `signingSecret`, but the receipt key's with 404 (no such route), as such an agent does.
 */
export interface SigningAgent {
  url: string;
  publicKey: string;
  /** How many requests reached it. */
  requests(): number;
  close(): Promise<void>;
}

export async function startSigningAgent(signingSecret: string | null): Promise<SigningAgent> {
  const publicKey = generateKeyPair().publicKey;
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    const dump: Dump = {
      interface: { name: 'wg0', public_key: publicKey, listen_port: 51820, fwmark: null },
      peers: [],
    };
    const unknownRoute = req.url?.startsWith('/v1/receipt-key') ?? false;
    const body = JSON.stringify(
      unknownRoute ? { error: { code: 'not_found', message: 'no such route' } } : dump,
    );
    const status = unknownRoute ? 404 : 200;
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    if (signingSecret !== null) {
      res.setHeader(
        RESPONSE_SIGNATURE_HEADER,
        signResponse(signingSecret, status, String(req.headers[NONCE_HEADER]), body),
      );
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    publicKey,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
