import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  interfaceStateDigest,
  planHash,
  verifyReceiptSignature,
  type Dump,
  type NodeReceipt,
} from '@wgfleet/protocol';
import { startAgentInProcess, type RunningAgent } from './support/agent-process';
import { signedRequest } from './support/signed-request';
import { createWgInterface, randomKey, uniqueInterfaceName, type WgInterface } from './support/wg-interface';

describe('node receipts on a real wireguard-go interface', () => {
  let wg: WgInterface;
  let dir: string;
  let agent: RunningAgent;
  const keyFile = () => join(dir, 'receipt.key');

  beforeAll(async () => {
    wg = await createWgInterface(uniqueInterfaceName('xau'));
    dir = await mkdtemp(join(tmpdir(), 'xau-receipts-'));
    agent = await startAgentInProcess({ interfaces: [wg.name], receiptKeyFile: keyFile() });
  });

  afterAll(async () => {
    await agent?.stop();
    await wg?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  /** Sends a signed request and answers it with the nonce it carried. */
  async function call<T>(base: RunningAgent, method: string, target: string, body?: unknown) {
    let nonce = '';
    const answer = await signedRequest<T>(base.url, base.secret, method, target, {
      body,
      headers: (signed) => {
        nonce = signed['X-Agent-Nonce'];
        return signed;
      },
    });
    return { ...answer, nonce };
  }

  it('makes its key once (0600), keeps it across restarts and serves the public half', async () => {
    expect((await stat(keyFile())).mode & 0o777).toBe(0o600);
    const { json } = await call<{ public_key: string }>(agent, 'GET', '/v1/receipt-key');
    expect(json.public_key).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const again = await startAgentInProcess({ interfaces: [wg.name], receiptKeyFile: keyFile() });
    try {
      expect((await call<{ public_key: string }>(again, 'GET', '/v1/receipt-key')).json).toEqual(json);
    } finally {
      await again.stop();
    }
  });

  it('signs a receipt of each batch and syncconf: its request, its body and the state it left', async () => {
    const { json: key } = await call<{ public_key: string }>(agent, 'GET', '/v1/receipt-key');
    const peer = { public_key: randomKey(), allowed_ips: ['10.178.40.2/32'] };
    const body = JSON.stringify({ upsert: [peer], remove: [] });
    const batch = await call<{ receipt: NodeReceipt }>(agent, 'POST', `/v1/wg/${wg.name}/batch`, body);
    expect(batch.status).toBe(200);
    const { json: dump } = await call<Dump>(agent, 'GET', `/v1/wg/${wg.name}/dump`);
    expect(batch.json.receipt).toMatchObject({
      interface: wg.name,
      request_id: batch.nonce,
      plan_hash: planHash(body),
      state_digest: interfaceStateDigest(dump),
    });
    expect(verifyReceiptSignature(batch.json.receipt, key.public_key)).toBe(true);

    const syncBody = JSON.stringify({ peers: [] });
    const sync = await call<{ receipt: NodeReceipt; removed: number }>(
      agent,
      'POST',
      `/v1/wg/${wg.name}/syncconf`,
      syncBody,
    );
    expect(sync.json).toMatchObject({ removed: 1, receipt: { plan_hash: planHash(syncBody) } });
    expect(verifyReceiptSignature(sync.json.receipt, key.public_key)).toBe(true);
    // A receipt claiming another state, or one signed by another key, does not verify.
    const forged = { ...sync.json.receipt, state_digest: batch.json.receipt.state_digest };
    expect(verifyReceiptSignature(forged, key.public_key)).toBe(false);
  });

  it('answers as before, without a receipt, when it has no key', async () => {
    const plain = await startAgentInProcess({ interfaces: [wg.name] });
    try {
      expect((await call(plain, 'GET', '/v1/receipt-key')).json).toEqual({ public_key: null });
      const answer = await call(plain, 'POST', `/v1/wg/${wg.name}/syncconf`, { peers: [] });
      expect(answer.json).toEqual({ added: 0, updated: 0, removed: 0 });
    } finally {
      await plain.stop();
    }
  });
});
