import { randomBytes } from 'node:crypto';
import { keyToPathSegment, type Dump, type DumpPeer } from '@wgfleet/protocol';
import { startAgentInProcess, type RunningAgent } from './support/agent-process';
import { signedRequest } from './support/signed-request';
import {
  createNetworkNamespace,
  createWgInterface,
  randomKey,
  uniqueInterfaceName,
  waitUntil,
  type NetworkNamespace,
  type WgInterface,
} from './support/wg-interface';

/**
 * Two wireguard-go interfaces in two network namespaces, linked by a veth pair, complete a real handshake.
 * A syncconf through the agent that changes other peers must leave that session alone: same
 * latest_handshake, same endpoint, counters not reset.
 */
describe('syncconf keeps the session of an unchanged peer', () => {
  const subnet = `10.250.${randomBytes(1)[0]}`;
  let ns: NetworkNamespace;
  let local: WgInterface;
  let remote: WgInterface;
  let agent: RunningAgent;

  const call = <T>(method: string, path: string, body?: unknown) =>
    signedRequest<T>(agent.url, agent.secret, method, path, { body });
  const remotePeerOnLocal = async (): Promise<DumpPeer> =>
    (await call<Dump>('GET', `/v1/wg/${local.name}/dump`)).json.peers.find(
      (p) => p.public_key === remote.publicKey,
    )!;

  beforeAll(async () => {
    ns = await createNetworkNamespace(`wgfns${randomBytes(4).toString('hex')}`);
    await ns.linkToHost(`${subnet}.1/30`, `${subnet}.2/30`);
    local = await createWgInterface(uniqueInterfaceName('wghsl'));
    remote = await createWgInterface(uniqueInterfaceName('wghsr'), { netns: ns });
    agent = await startAgentInProcess({ interfaces: [local.name] });
  });

  afterAll(async () => {
    await agent?.stop();
    await remote?.destroy();
    await local?.destroy();
    await ns?.destroy();
  });

  it('leaves latest_handshake, endpoint and counters of the unchanged peer as they were', async () => {
    const remotePeer = {
      public_key: remote.publicKey,
      allowed_ips: ['10.251.0.2/32'],
      endpoint: `${subnet}.2:${remote.listenPort}`,
      persistent_keepalive: 0,
    };
    const bystander = { public_key: randomKey(), allowed_ips: ['10.251.0.3/32'] };
    expect(
      (await call('POST', `/v1/wg/${local.name}/batch`, { upsert: [remotePeer, bystander] })).status,
    ).toBe(200);
    // The remote side initiates: a keepalive every second makes it handshake at once.
    await remote.wg(
      'set',
      remote.name,
      'peer',
      local.publicKey,
      'allowed-ips',
      '10.251.0.1/32',
      'endpoint',
      `${subnet}.1:${local.listenPort}`,
      'persistent-keepalive',
      '1',
    );
    await waitUntil(
      async () => (await remotePeerOnLocal()).latest_handshake > 0,
      15000,
      'no handshake happened',
    );
    const before = await remotePeerOnLocal();
    expect(before.endpoint).toBe(`${subnet}.2:${remote.listenPort}`);
    // Let the clock move on, so a fresh handshake would carry a different timestamp.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const answer = await call('POST', `/v1/wg/${local.name}/syncconf`, {
      peers: [
        remotePeer,
        { ...bystander, allowed_ips: ['10.251.0.30/32'] },
        { public_key: randomKey(), allowed_ips: [] },
      ],
    });
    expect(answer).toMatchObject({ status: 200, json: { added: 1, updated: 1, removed: 0 } });

    const after = await remotePeerOnLocal();
    expect(after.latest_handshake).toBe(before.latest_handshake);
    expect(after.endpoint).toBe(before.endpoint);
    expect(after.transfer_rx).toBeGreaterThanOrEqual(before.transfer_rx);
    expect(after.transfer_rx).toBeGreaterThan(0);

    // Control: removing and re-adding the peer does reset its session, so the check above can tell.
    await call('DELETE', `/v1/wg/${local.name}/peers/${keyToPathSegment(remote.publicKey)}`);
    await call('POST', `/v1/wg/${local.name}/peers`, remotePeer);
    expect((await remotePeerOnLocal()).latest_handshake).toBe(0);
  });
});
