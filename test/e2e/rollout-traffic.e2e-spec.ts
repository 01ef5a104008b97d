/**
 * Staged rollouts gated on real traffic: four nodes (agent + wireguard-go, each in its own namespace) follow
 * one template, and one client per node (its own namespace, brought up from the panel's client config) pings
 * its node through the tunnel all along. A harmless template version rolls through every wave with the
 * clients passing traffic; one that moves the listen port (the clients, behind NAT, keep the old one) halts at the canary
 * within the bake, leaves the other nodes on their version, and a rollback brings the canary's client back.
 *
 *   host ── veth 10.171.<i>.1 ↔ .2 ── [node i: agent, wgro<i> 10.171.10<i>.1/24]
 *                                       │ veth 10.171.<i>.9 ↔ .10
 *                                    [client i: wgroc<i>, pinging 10.171.10<i>.1]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createNetworkNamespace, type NetworkNamespace } from '../../agent/test/support/wg-interface';
import { ADMIN_TOKEN, startPanel, type TestPanel } from '../support/panel';
import { bringUpClientConfig, type ClientTunnel } from './support/client-tunnel';
import { createAppliedPeers, pollFor, registerNode } from './support/fleet-flows';
import {
  linkNamespaces,
  removeStaleNamespace,
  startNamespaceNode,
  type NamespaceNode,
} from './support/namespace-node';
import { PanelApi } from './support/panel-api';
import { stopChild } from './support/stop-child';

jest.setTimeout(240000);

const NODES = [1, 2, 3, 4];
const tunnelAddress = (i: number) => `10.171.${100 + i}.1`;

interface Site {
  node: NamespaceNode;
  nodeId: string;
  clientNamespace: NetworkNamespace;
  client: ClientTunnel;
  pinger: ChildProcess;
}

/**
 * A client behind NAT or a stateful firewall lets in only replies from the address and port it sends to;
 * without this, WireGuard's roaming would follow the node to a new listen port and hide the break.
 */
async function behindNat(namespace: NetworkNamespace): Promise<void> {
  await namespace.exec('nft', ['add', 'table', 'inet', 'wgro']);
  await namespace.exec('nft', [
    'add',
    'chain',
    'inet',
    'wgro',
    'input',
    '{ type filter hook input priority 0; policy accept; }',
  ]);
  await namespace.exec('nft', [
    'add',
    'rule',
    'inet',
    'wgro',
    'input',
    'meta',
    'l4proto',
    'udp',
    'ct',
    'state',
    'new',
    'drop',
  ]);
}

describe('rollouts gated on the traffic of real clients', () => {
  let panel: TestPanel;
  let api: PanelApi;
  let templateId: string;
  const sites: Site[] = [];

  const as = () => panel.as();

  async function newVersion(settings: Record<string, unknown>): Promise<number> {
    const { body } = await as().patch(`/api/templates/${templateId}`, { settings }).expect(200);
    return body.version as number;
  }

  /** The planned rollout a template edit made by itself, aborted: the test runs its own with a short bake. */
  async function abortPlannedFor(version: number): Promise<void> {
    const planned = await pollFor(
      async () => {
        const { body } = await as().get('/api/rollouts').expect(200);
        return body.rollouts.find(
          (rollout: { status: string; plans: Record<string, string> }) =>
            rollout.status === 'planned' && Object.keys(rollout.plans).length === NODES.length,
        );
      },
      { timeoutMs: 20000, intervalMs: 200, what: `the planned rollout of version ${version}` },
    );
    await as().post(`/api/rollouts/${planned.id}/abort`).expect(200);
  }

  const settled = (id: string, statuses: string[], timeoutMs = 90000) =>
    pollFor(
      async () => {
        const { body } = await as().get(`/api/rollouts/${id}`).expect(200);
        return statuses.includes(body.status) ? body : undefined;
      },
      { timeoutMs, intervalMs: 250, what: `rollout ${id} ${statuses.join('|')}` },
    );

  const pinned = async (nodeId: string) =>
    (await as().get(`/api/nodes/${nodeId}`).expect(200)).body.template_version;

  beforeAll(async () => {
    for (const i of NODES) await removeStaleNamespace(`wgro-c${i}`);
    panel = await startPanel({ DRIFT_SCAN_INTERVAL_S: '86400', APPLY_DEBOUNCE_MS: '50' });
    api = new PanelApi(await panel.app.getUrl(), ADMIN_TOKEN);
    templateId = (
      await as()
        .post('/api/templates', { name: 'wgro-edge', settings: { override_listen_port: 51820 } })
        .expect(201)
    ).body.id;
    for (const i of NODES) {
      const node = await startNamespaceNode({
        namespace: `wgro-n${i}`,
        hostAddress: `10.171.${i}.1/30`,
        namespaceAddress: `10.171.${i}.2/30`,
        interfaceName: `wgro${i}`,
        listenPort: 51820,
        tunnelAddress: `${tunnelAddress(i)}/24`,
        agentRuntime: 'source',
      });
      const clientNamespace = await createNetworkNamespace(`wgro-c${i}`);
      await behindNat(clientNamespace);
      await linkNamespaces(node.namespace, clientNamespace, `wgro${i}`, `10.171.${i}`);
      const registered = await registerNode(api, {
        name: `wgro-node-${i}`,
        agent_url: node.agentUrl,
        agent_secret: node.agentSecret,
        interface: `wgro${i}`,
        endpoint: `10.171.${i}.9`,
        address_pool: `10.171.${100 + i}.0/24`,
        override_endpoint_allowed_ip: [`10.171.${100 + i}.0/24`],
        template_id: templateId,
      });
      const [peer] = await createAppliedPeers(api, registered.id, [{ name: `wgro-client-${i}` }]);
      const client = await bringUpClientConfig(clientNamespace, `wgroc${i}`, await api.clientConfig(peer.id));
      const pinger = spawn(
        'ip',
        ['netns', 'exec', `wgro-c${i}`, 'ping', '-i', '0.2', '-W', '1', tunnelAddress(i)],
        {
          stdio: 'ignore',
        },
      );
      sites.push({ node, nodeId: registered.id, clientNamespace, client, pinger });
    }
    for (const [index, site] of sites.entries())
      await pollFor(async () => ((await site.client.ping(tunnelAddress(index + 1))) ? true : undefined), {
        timeoutMs: 20000,
        intervalMs: 0,
        what: `client ${index + 1} pinging its node`,
      });
  }, 180000);

  afterAll(async () => {
    for (const site of sites) {
      await stopChild(site.pinger).catch(() => undefined);
      await site.client.destroy().catch(() => undefined);
      await site.clientNamespace.destroy().catch(() => undefined);
      await site.node.stop().catch(() => undefined);
    }
    await panel?.close();
  });

  it('rolls a harmless version through every wave while the clients keep passing traffic', async () => {
    const version = await newVersion({ override_keepalive: 20 });
    await abortPlannedFor(version);
    const { body: created } = await as()
      .post('/api/rollouts', { template_id: templateId, template_version: version, bake_s: 4 })
      .expect(201);
    expect(created.waves.map((wave: { node_ids: string[] }) => wave.node_ids.length)).toEqual([1, 1, 1, 1]);

    const done = await settled(created.id, ['completed', 'halted']);
    expect(done.halt).toBeNull();
    expect(done.status).toBe('completed');
    for (const wave of done.waves) {
      expect(wave.status).toBe('passed');
      expect(wave.gates.traffic).toMatchObject({ active: 1, passing: 1, retention: 100, verdict: 'pass' });
    }
    for (const site of sites) expect(await pinned(site.nodeId)).toBe(version);
    for (const [index, site] of sites.entries())
      expect(await site.client.ping(tunnelAddress(index + 1))).toBe(true);
  });

  it('halts a listen-port move at the canary within the bake, and a rollback brings its client back', async () => {
    const before = await pinned(sites[0].nodeId);
    const version = await newVersion({ override_listen_port: 51821 });
    await abortPlannedFor(version);
    const { body: created } = await as()
      .post('/api/rollouts', { template_id: templateId, template_version: version, bake_s: 6 })
      .expect(201);
    const canary: string = created.waves[0].node_ids[0];
    const started = Date.now();

    const halted = await settled(created.id, ['halted', 'completed']);
    expect(halted.status).toBe('halted');
    expect(halted.halt).toMatchObject({ wave: 0, gate: 'traffic' });
    expect(halted.halt.reason).toBe('0 of 1 active peers passing traffic (0 %, at least 90 % required)');
    // Baseline (2 s), apply and verify, then the 6 s bake.
    expect(Date.now() - started).toBeLessThan(30000);
    expect(halted.waves.slice(1).map((wave: { status: string }) => wave.status)).toEqual([
      'pending',
      'pending',
      'pending',
    ]);
    for (const site of sites.filter((each) => each.nodeId !== canary))
      expect(await pinned(site.nodeId)).toBe(before);
    const canarySite = sites.findIndex((site) => site.nodeId === canary);
    expect(await sites[canarySite].client.ping(tunnelAddress(canarySite + 1))).toBe(false);

    await as().post(`/api/rollouts/${created.id}/rollback`).expect(200);
    const rolledBack = await settled(created.id, ['rolled_back', 'halted']);
    expect(rolledBack.halt).toBeNull();
    expect(rolledBack.status).toBe('rolled_back');
    expect(rolledBack.waves[0].status).toBe('rolled_back');
    expect(await pinned(canary)).toBe(before);
    await expect(
      pollFor(
        async () => ((await sites[canarySite].client.ping(tunnelAddress(canarySite + 1))) ? true : undefined),
        {
          timeoutMs: 30000,
          intervalMs: 0,
          what: 'the canary client pinging again',
        },
      ),
    ).resolves.toBe(true);
  });
});
