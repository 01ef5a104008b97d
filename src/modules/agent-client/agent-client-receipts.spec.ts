import {
  NONCE_HEADER,
  RESPONSE_SIGNATURE_HEADER,
  newSigningKeyPair,
  planHash,
  signReceipt,
  signResponse,
  type ReceiptCheck,
} from '@wgfleet/protocol';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { AgentClient } from './agent-client';
import { AgentError } from './agent-errors';

const SECRET = 'agent-secret-that-is-long-enough-0123456789';
const nodeKey = newSigningKeyPair();

/** A stand-in agent that answers every batch with `receiptOf(request)` as its receipt. */
type ReceiptMaker = (nonce: string, body: string) => unknown;

async function standIn(receiptOf: ReceiptMaker): Promise<{ server: Server; url: string }> {
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const nonce = String(req.headers[NONCE_HEADER]);
    const body = JSON.stringify({ results: [], receipt: receiptOf(nonce, Buffer.concat(chunks).toString()) });
    res.setHeader('content-type', 'application/json');
    res.setHeader(RESPONSE_SIGNATURE_HEADER, signResponse(SECRET, 200, nonce, body));
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const signedBy =
  (privateKey: string): ReceiptMaker =>
  (nonce, body) =>
    signReceipt(privateKey, {
      interface: 'wg0',
      request_id: nonce,
      plan_hash: planHash(body),
      state_digest: 'cd'.repeat(32),
      time: new Date().toISOString(),
    });

describe('AgentClient receipts of a node with a pinned key', () => {
  const servers: Server[] = [];
  afterAll(() => servers.forEach((server) => server.close()));

  async function batchWith(receiptOf: ReceiptMaker): Promise<{ checks: ReceiptCheck[]; error: unknown }> {
    const { server, url } = await standIn(receiptOf);
    servers.push(server);
    const checks: ReceiptCheck[] = [];
    const client = new AgentClient({
      baseUrl: url,
      secret: SECRET,
      interfaceName: 'wg0',
      receipts: { publicKey: nodeKey.publicKey, onReceipt: async (check) => void checks.push(check) },
    });
    try {
      await client.batch({ upsert: [], remove: [] });
      return { checks, error: null };
    } catch (error) {
      return { checks, error };
    } finally {
      client.close();
    }
  }

  it('hands on a receipt of exactly this request, signed with the pinned key', async () => {
    const { checks, error } = await batchWith(signedBy(nodeKey.privateKey));
    expect(error).toBeNull();
    expect(checks).toEqual([{ ok: true, receipt: expect.objectContaining({ interface: 'wg0' }) }]);
  });

  it.each([
    ['a forged receipt', signedBy(newSigningKeyPair().privateKey), 'receipt_invalid'],
    [
      'a receipt of another request',
      (_: string, body: string) => signedBy(nodeKey.privateKey)('n', body),
      'receipt_invalid',
    ],
    ['no receipt', () => undefined, 'receipt_missing'],
  ])('refuses %s: the call fails as unverified, and the check is seen', async (_, receiptOf, reason) => {
    const { checks, error } = await batchWith(receiptOf);
    expect(error).toBeInstanceOf(AgentError);
    expect(error).toMatchObject({ reason, transient: false });
    expect(checks).toEqual([expect.objectContaining({ ok: false, reason })]);
  });
});
