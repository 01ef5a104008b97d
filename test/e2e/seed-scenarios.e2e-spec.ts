/**
 * The seed scenarios, end to end through the REST API against real agents driving real wireguard-go
 * interfaces: every kind of drift made by hand with `wg`, found by the panel and repaired by a reconcile.
 * Each scenario gets its own node (interface + agent), so none depends on another's leftovers.
 */
import { startAgentInProcess, type RunningAgent } from '../../agent/test/support/agent-process';
import {
  createWgInterface,
  randomKey,
  uniqueInterfaceName,
  type WgInterface,
} from '../../agent/test/support/wg-interface';
import { ADMIN_TOKEN, startPanel, type TestPanel } from '../support/panel';
import {
  createAppliedPeers,
  dryRun,
  reconcileAndWait,
  registerNode,
  waitForNodeSettled,
} from './support/fleet-flows';
import { PanelApi, type NodeView, type PeerView } from './support/panel-api';

interface SeedNode {
  node: NodeView;
  wg: WgInterface;
  /** `wg set <this interface> ...` */
  set: (...args: string[]) => Promise<string>;
  /** Public keys on the interface now. */
  keysOnInterface: () => Promise<string[]>;
}

describe('seed scenarios through the REST API against real agents', () => {
  let panel: TestPanel;
  let api: PanelApi;
  const interfaces: WgInterface[] = [];
  const agents: RunningAgent[] = [];
  let nodeCount = 0;

  /** A node of its own: wireguard-go interface, agent, registration, and `peers` created and applied. */
  const seedNode = async (
    name: string,
    peerNames: string[],
    overrides: Record<string, unknown> = {},
  ): Promise<SeedNode & { peers: PeerView[] }> => {
    nodeCount += 1;
    const wg = await createWgInterface(uniqueInterfaceName('wgfseed'));
    interfaces.push(wg);
    const agent = await startAgentInProcess({ interfaces: [wg.name] });
    agents.push(agent);
    const node = await registerNode(api, {
      name,
      agent_url: agent.url,
      agent_secret: agent.secret,
      interface: wg.name,
      endpoint: `${name}.vpn.example.test`,
      address_pool: `10.205.${nodeCount}.0/24`,
      ...overrides,
    });
    const peers = await createAppliedPeers(
      api,
      node.id,
      peerNames.map((peerName) => ({ name: peerName })),
    );
    return {
      node,
      wg,
      peers,
      set: (...args) => wg.wg('set', wg.name, ...args),
      keysOnInterface: async () => (await wg.wg('show', wg.name, 'peers')).split('\n').filter(Boolean),
    };
  };

  beforeAll(async () => {
    panel = await startPanel({ DRIFT_SCAN_INTERVAL_S: '86400' });
    api = new PanelApi(await panel.app.getUrl(), ADMIN_TOKEN);
  }, 60000);

  afterAll(async () => {
    await panel?.close();
    await Promise.all(agents.map((agent) => agent.stop()));
    await Promise.all(interfaces.map((wg) => wg.destroy()));
  });

  it('no drift: a node whose peers were all applied reports in sync', async () => {
    const { node } = await seedNode('seed-clean', ['alice', 'bob', 'carol']);
    expect(await api.driftReport(node.id)).toMatchObject({
      node_id: node.id,
      node_name: 'seed-clean',
      status: 'in_sync',
      has_drift: false,
      summary: {
        expected: 3,
        actual: 3,
        missing: 0,
        mismatched: 0,
        orphaned: 0,
        unknown: 0,
        interface: 0,
        pending: 0,
      },
      missing_peers: [],
      mismatched_peers: [],
      orphaned_peers: [],
      unknown_peers: [],
      interface_mismatches: [],
    });
  });

  it('unknown peer: reported, left alone by a default plan, removed only with remove_unknown', async () => {
    const seed = await seedNode('seed-unknown', ['alice']);
    const stranger = randomKey();
    await seed.set('peer', stranger, 'allowed-ips', '10.205.99.1/32', 'persistent-keepalive', '7');

    expect(await api.driftReport(seed.node.id)).toMatchObject({
      status: 'drift',
      summary: { expected: 1, actual: 2, missing: 0, mismatched: 0, orphaned: 0, unknown: 1 },
      unknown_peers: [{ public_key: stranger, allowed_ips: ['10.205.99.1/32'], persistent_keepalive: 7 }],
    });
    expect((await dryRun(api, seed.node.id)).plan).toMatchObject({ add: [], update: [], remove: [] });

    const job = await reconcileAndWait(api, seed.node.id, { remove_unknown: true });
    expect(job.result).toMatchObject({
      added: [],
      updated: [],
      removed: [stranger],
      errors: [],
      verified: true,
    });
    expect(await seed.keysOnInterface()).toEqual([seed.peers[0].public_key]);
    expect((await api.driftReport(seed.node.id)).status).toBe('in_sync');
  });

  it('missing peer: reported with its name and addresses, added back by a reconcile', async () => {
    const seed = await seedNode('seed-missing', ['alice', 'bob']);
    const bob = seed.peers[1];
    await seed.set('peer', bob.public_key, 'remove');

    expect(await api.driftReport(seed.node.id)).toMatchObject({
      status: 'drift',
      summary: { expected: 2, actual: 1, missing: 1, mismatched: 0, unknown: 0 },
      missing_peers: [
        { peer_id: bob.id, name: 'bob', public_key: bob.public_key, allowed_ips: bob.allowed_ips },
      ],
    });

    const job = await reconcileAndWait(api, seed.node.id);
    expect(job.result).toMatchObject({ added: [bob.name], updated: [], removed: [], verified: true });
    expect((await api.driftReport(seed.node.id)).status).toBe('in_sync');
  });

  it('mismatched allowed IPs: expected and actual reported, repaired by a reconcile', async () => {
    const seed = await seedNode('seed-mismatch', ['alice']);
    const alice = seed.peers[0];
    await seed.set('peer', alice.public_key, 'allowed-ips', '10.205.4.200/32,10.205.4.201/32');

    expect(await api.driftReport(seed.node.id)).toMatchObject({
      status: 'drift',
      summary: { expected: 1, actual: 1, missing: 0, mismatched: 1, unknown: 0 },
      mismatched_peers: [
        {
          peer_id: alice.id,
          name: 'alice',
          mismatches: [
            {
              field: 'allowed_ips',
              expected: alice.allowed_ips,
              actual: ['10.205.4.200/32', '10.205.4.201/32'],
            },
          ],
        },
      ],
    });

    const job = await reconcileAndWait(api, seed.node.id);
    expect(job.result).toMatchObject({ added: [], updated: [alice.name], removed: [], verified: true });
    expect(await seed.wg.wg('show', seed.wg.name, 'allowed-ips')).toContain(alice.allowed_ips[0]);
    expect((await api.driftReport(seed.node.id)).status).toBe('in_sync');
  });

  it('combined: unknown, missing, mismatched and orphaned at once, each repaired as the options say', async () => {
    const seed = await seedNode('seed-combined', ['alice', 'bob', 'carol', 'dave']);
    const [alice, bob, carol, dave] = seed.peers;
    // dave is deleted in the panel (and so from the node), then put back by hand: managed once, now orphaned.
    await api.delete(`/api/peers/${dave.id}?version=${dave.version}`);
    await waitForNodeSettled(api, seed.node.id);
    expect(await seed.keysOnInterface()).not.toContain(dave.public_key);
    const stranger = randomKey();
    await seed.set('peer', dave.public_key, 'allowed-ips', dave.allowed_ips.join(','));
    await seed.set('peer', stranger, 'allowed-ips', '10.205.99.2/32');
    await seed.set('peer', alice.public_key, 'remove');
    await seed.set('peer', bob.public_key, 'allowed-ips', '10.205.5.250/32', 'persistent-keepalive', '5');

    const report = await api.driftReport(seed.node.id);
    expect(report).toMatchObject({
      status: 'drift',
      summary: { expected: 3, actual: 4, missing: 1, mismatched: 1, orphaned: 1, unknown: 1, interface: 0 },
      missing_peers: [{ peer_id: alice.id }],
      mismatched_peers: [
        {
          peer_id: bob.id,
          mismatches: [
            { field: 'allowed_ips', expected: bob.allowed_ips, actual: ['10.205.5.250/32'] },
            { field: 'persistent_keepalive', expected: 25, actual: 5 },
          ],
        },
      ],
      orphaned_peers: [{ peer_id: dave.id, name: 'dave', public_key: dave.public_key }],
      unknown_peers: [{ public_key: stranger }],
    });

    const job = await reconcileAndWait(api, seed.node.id);
    expect(job.result).toMatchObject({
      added: [alice.name],
      updated: [bob.name],
      removed: [dave.name],
      errors: [],
    });
    const after = await api.driftReport(seed.node.id);
    expect(after.summary).toMatchObject({ missing: 0, mismatched: 0, orphaned: 0, unknown: 1 });
    expect((await seed.keysOnInterface()).sort()).toEqual(
      [alice.public_key, bob.public_key, carol.public_key, stranger].sort(),
    );
  });

  it('per-node overrides reach the client config of a peer on each node', async () => {
    const usEast = await seedNode('US-East', ['us-laptop'], {
      override_mtu: 1420,
      override_dns: ['1.1.1.1'],
    });
    const euWest = await seedNode('EU-West', ['eu-laptop'], {
      override_mtu: 1380,
      override_dns: ['8.8.8.8'],
    });
    const apSouth = await seedNode('AP-South', ['ap-phone'], { override_keepalive: 15 });

    const usConfig = await api.clientConfig(usEast.peers[0].id);
    expect(usConfig).toMatch(/^MTU = 1420$/m);
    expect(usConfig).toMatch(/^DNS = 1\.1\.1\.1$/m);
    expect(usConfig).toMatch(/^Endpoint = US-East\.vpn\.example\.test:\d+$/m);

    const euConfig = await api.clientConfig(euWest.peers[0].id);
    expect(euConfig).toMatch(/^MTU = 1380$/m);
    expect(euConfig).toMatch(/^DNS = 8\.8\.8\.8$/m);

    const apConfig = await api.clientConfig(apSouth.peers[0].id);
    expect(apConfig).toMatch(/^PersistentKeepalive = 15$/m);
    // The node enforces the same keepalive on its side.
    expect(await apSouth.wg.wg('show', apSouth.wg.name, 'persistent-keepalive')).toContain('\t15');
  });

  it('syncconf through the agent: one atomic replace that keeps unknown peers unless told otherwise', async () => {
    const seed = await seedNode('seed-syncconf', ['alice', 'bob', 'carol']);
    const [alice, bob, carol] = seed.peers;
    const stranger = randomKey();
    await seed.set('peer', alice.public_key, 'remove');
    await seed.set('peer', bob.public_key, 'persistent-keepalive', '9');
    await seed.set('peer', stranger, 'allowed-ips', '10.205.99.3/32');

    const kept = await reconcileAndWait(api, seed.node.id, { mode: 'syncconf' });
    expect(kept.result).toMatchObject({
      added: [alice.name],
      updated: [bob.name],
      removed: [],
      errors: [],
    });
    expect((await seed.keysOnInterface()).sort()).toEqual(
      [alice.public_key, bob.public_key, carol.public_key, stranger].sort(),
    );
    expect(await seed.wg.wg('show', seed.wg.name, 'persistent-keepalive')).toContain(`${bob.public_key}\t25`);

    const cleared = await reconcileAndWait(api, seed.node.id, { mode: 'syncconf', remove_unknown: true });
    expect(cleared.result).toMatchObject({ added: [], updated: [], removed: [stranger], verified: true });
    expect((await api.driftReport(seed.node.id)).status).toBe('in_sync');
  });
});
