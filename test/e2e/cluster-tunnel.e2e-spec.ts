/**
 * A real tunnel through a cluster: two members share one WireGuard key, the panel puts the cluster peer on both,
 * and a client brought up from the peer's config reaches the cluster through whichever member its endpoint name
 * resolves to. When the first member's path fails, only the name's address changes (the client namespace's
 * hosts file, as DNS failover would) and the same client, same config, handshakes with the second member.
 *
 *   host ── veth ── [wgcm-a: agent, wgcma0 10.174.240.1/24 :51820] ── veth 10.174.251.9 ↔ .10 ──┐
 *   host ── veth ── [wgcm-b: agent, wgcmb0 10.174.240.1/24 :51820] ── veth 10.174.252.9 ↔ .10 ──┤
 *                                                     [wgcm-c: wgcmc0, the client; edge.wgcm.test in its hosts]
 * Run under `flock /tmp/wgfleet-netns.lock`.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import {
  createNetworkNamespace,
  generateKeyPair,
  type NetworkNamespace,
} from '../../agent/test/support/wg-interface';
import { ADMIN_TOKEN, startPanel, type TestPanel } from '../support/panel';
import { bringUpClientConfig, type ClientTunnel } from './support/client-tunnel';
import { pollFor, registerNode } from './support/fleet-flows';
import {
  linkNamespaces,
  removeStaleNamespace,
  startNamespaceNode,
  type NamespaceNode,
} from './support/namespace-node';
import { PanelApi, type NodeView, type PeerView } from './support/panel-api';

const CLIENT_NAMESPACE = 'wgcm-c';
const HOSTS_DIR = `/etc/netns/${CLIENT_NAMESPACE}`;
const ENDPOINT_NAME = 'edge.wgcm.test';
const CLUSTER_ADDRESS = '10.174.240.1';

jest.setTimeout(180000);

describe('a real tunnel through a cluster whose members share one key', () => {
  const shared = generateKeyPair();
  let panel: TestPanel;
  let api: PanelApi;
  let memberA: NamespaceNode;
  let memberB: NamespaceNode;
  let clientNamespace: NetworkNamespace;
  let client: ClientTunnel;
  let nodes: NodeView[];
  let peer: PeerView;
  let config: string;

  /** Where the endpoint name resolves inside the client's namespace: what DNS would say. */
  const resolveTo = (address: string) => writeFile(`${HOSTS_DIR}/hosts`, `${address} ${ENDPOINT_NAME}\n`);
  const pingsThrough = (timeoutMs: number) =>
    pollFor(async () => ((await client.ping(CLUSTER_ADDRESS)) ? true : undefined), {
      timeoutMs,
      intervalMs: 0,
      what: `a ping from ${CLIENT_NAMESPACE} to ${CLUSTER_ADDRESS} through the cluster`,
    });
  /** The seconds since epoch of the member's last handshake with the client (0: none). */
  const handshakeOn = async (member: NamespaceNode) => {
    const line = (await member.wg.wg('show', member.wg.name, 'latest-handshakes'))
      .split('\n')
      .find((entry) => entry.startsWith(peer.public_key));
    return Number(line?.split(/\s+/)[1] ?? 0);
  };

  beforeAll(async () => {
    await removeStaleNamespace(CLIENT_NAMESPACE);
    const member = (name: string, net: number) =>
      startNamespaceNode({
        namespace: `wgcm-${name}`,
        hostAddress: `10.174.250.${net + 1}/30`,
        namespaceAddress: `10.174.250.${net + 2}/30`,
        interfaceName: `wgcm${name}0`,
        listenPort: 51820,
        tunnelAddress: `${CLUSTER_ADDRESS}/24`,
        agentRuntime: 'source',
        keyPair: shared,
      });
    [panel, memberA, memberB] = await Promise.all([
      startPanel({ DRIFT_SCAN_INTERVAL_S: '86400', APPLY_DEBOUNCE_MS: '100' }),
      member('a', 0),
      member('b', 4),
    ]);
    clientNamespace = await createNetworkNamespace(CLIENT_NAMESPACE);
    await linkNamespaces(memberA.namespace, clientNamespace, 'wgcmA', '10.174.251');
    await linkNamespaces(memberB.namespace, clientNamespace, 'wgcmB', '10.174.252');
    await mkdir(HOSTS_DIR, { recursive: true });
    await resolveTo('10.174.251.9');
    api = new PanelApi(await panel.app.getUrl(), ADMIN_TOKEN);

    nodes = [];
    for (const [name, member] of [
      ['member-a', memberA],
      ['member-b', memberB],
    ] as const) {
      nodes.push(
        await registerNode(api, {
          name,
          agent_url: member.agentUrl,
          agent_secret: member.agentSecret,
          interface: member.wg.name,
          endpoint: member.endpoint,
          address_pool: '10.174.241.0/24',
        }),
      );
    }
    const cluster = await api.post<{ id: string; public_key: string | null }>('/api/clusters', {
      name: 'edge',
      endpoint_host: ENDPOINT_NAME,
      endpoint_port: 51820,
      address_pool: '10.174.240.0/24',
    });
    for (const node of nodes) await api.post(`/api/clusters/${cluster.id}/members`, { node_id: node.id });
    peer = await api.post<PeerView>(`/api/clusters/${cluster.id}/peers`, {
      name: 'roaming-laptop',
      endpoint_allowed_ips: ['10.174.240.0/24'],
      persistent_keepalive: 1,
    });
    for (const member of [memberA, memberB]) {
      await pollFor(
        async () =>
          (await member.wg.wg('show', member.wg.name, 'peers')).includes(peer.public_key) ? true : undefined,
        { timeoutMs: 15000, intervalMs: 100, what: `the cluster peer on ${member.wg.name}` },
      );
    }
    config = await api.clientConfig(peer.id);
    client = await bringUpClientConfig(clientNamespace, 'wgcmc0', config);
  });

  afterAll(async () => {
    await client?.destroy();
    await clientNamespace?.destroy();
    await rm(HOSTS_DIR, { recursive: true, force: true });
    await Promise.all([memberA?.stop(), memberB?.stop()]);
    await panel?.close();
  });

  it('reaches the cluster through the member its endpoint name resolves to', async () => {
    expect(config).toContain(`Endpoint = ${ENDPOINT_NAME}:51820`);
    expect(config).toContain(`PublicKey = ${shared.publicKey}`);
    expect(client.settings.allowedIps).toEqual(['10.174.240.0/24']);
    await expect(pingsThrough(15000)).resolves.toBe(true);
    expect(await handshakeOn(memberA)).toBeGreaterThan(0);
    expect(await handshakeOn(memberB)).toBe(0);
  });

  it('reaches the other member with the same config once the name resolves to it', async () => {
    // The first member's path fails; DNS moves the name; the client resolves it again (as wg-quick's
    // reresolve-dns or a reconnect does). Nothing of the client's config changes.
    await memberA.namespace.exec('ip', ['link', 'set', 'wgcmAab', 'down']);
    await resolveTo('10.174.252.9');
    await client.wg.wg('set', 'wgcmc0', 'peer', shared.publicKey, 'endpoint', `${ENDPOINT_NAME}:51820`);
    await expect(pingsThrough(30000)).resolves.toBe(true);
    expect(await handshakeOn(memberB)).toBeGreaterThan(0);
  });
});
