/**
 * A real tunnel end to end: the panel creates a peer on a node (agent + wireguard-go in namespace A), the
 * peer's client config from /api/peers/{id}/config is brought up in namespace B, and a ping crosses the
 * tunnel. Removing the peer by hand on the node breaks the tunnel and shows up as drift; a reconcile
 * through the panel mends both.
 *
 *   host ── veth 10.204.0.1 ↔ 10.204.0.2 ── [A: agent :8420, wgftun0 10.204.1.1/24 :51820]
 *                                              │ veth 10.204.0.9 ↔ 10.204.0.10
 *                                           [B: wgftunc0, addresses from the client config]
 */
import { createNetworkNamespace, type NetworkNamespace } from '../../agent/test/support/wg-interface';
import { startPanel, ADMIN_TOKEN, type TestPanel } from '../support/panel';
import { bringUpClientConfig, type ClientTunnel } from './support/client-tunnel';
import { pollFor, reconcileAndWait, createAppliedPeers, registerNode } from './support/fleet-flows';
import {
  linkNamespaces,
  removeStaleNamespace,
  startNamespaceNode,
  type NamespaceNode,
} from './support/namespace-node';
import { PanelApi, type NodeView, type PeerView } from './support/panel-api';

const NAMESPACE_A = 'wgf-tun-a';
const NAMESPACE_B = 'wgf-tun-b';
const NODE_TUNNEL_ADDRESS = '10.204.1.1';

describe('a real WireGuard tunnel made from a panel client config', () => {
  let panel: TestPanel;
  let api: PanelApi;
  let server: NamespaceNode;
  let clientNamespace: NetworkNamespace;
  let client: ClientTunnel;
  let node: NodeView;
  let peer: PeerView;

  const pingsThrough = (timeoutMs: number) =>
    pollFor(async () => ((await client.ping(NODE_TUNNEL_ADDRESS)) ? true : undefined), {
      timeoutMs,
      intervalMs: 0,
      what: `a ping from ${NAMESPACE_B} to ${NODE_TUNNEL_ADDRESS} through the tunnel`,
    });

  beforeAll(async () => {
    await removeStaleNamespace(NAMESPACE_B);
    [panel, server] = await Promise.all([
      startPanel({ DRIFT_SCAN_INTERVAL_S: '86400' }),
      startNamespaceNode({
        namespace: NAMESPACE_A,
        hostAddress: '10.204.0.1/30',
        namespaceAddress: '10.204.0.2/30',
        interfaceName: 'wgftun0',
        listenPort: 51820,
        tunnelAddress: `${NODE_TUNNEL_ADDRESS}/24`,
        agentRuntime: 'source',
      }),
    ]);
    clientNamespace = await createNetworkNamespace(NAMESPACE_B);
    await linkNamespaces(server.namespace, clientNamespace, 'wgftun', '10.204.0');
    api = new PanelApi(await panel.app.getUrl(), ADMIN_TOKEN);

    node = await registerNode(api, {
      name: 'tunnel-node',
      agent_url: server.agentUrl,
      agent_secret: server.agentSecret,
      interface: 'wgftun0',
      endpoint: '10.204.0.9',
      address_pool: '10.204.1.0/24',
      override_endpoint_allowed_ip: ['10.204.1.0/24'],
    });
    [peer] = await createAppliedPeers(api, node.id, [
      { name: 'tunnel-client', generate_preshared_key: true },
    ]);
    client = await bringUpClientConfig(clientNamespace, 'wgftunc0', await api.clientConfig(peer.id));
  }, 90000);

  afterAll(async () => {
    await client?.destroy();
    await clientNamespace?.destroy();
    await server?.stop();
    await panel?.close();
  });

  it('brings the client config up as the panel wrote it', () => {
    expect(node.listen_port).toBe(51820);
    expect(client.settings.addresses).toEqual(peer.allowed_ips);
    expect(client.settings.allowedIps).toEqual(['10.204.1.0/24']);
  });

  it('carries a ping from the client to the node through the tunnel', async () => {
    await expect(pingsThrough(10000)).resolves.toBe(true);
  }, 20000);

  it('breaks when the peer is removed on the node by hand, and the next scan reports it missing', async () => {
    await server.wg.wg('set', 'wgftun0', 'peer', peer.public_key, 'remove');

    expect(await client.ping(NODE_TUNNEL_ADDRESS)).toBe(false);
    const report = await api.driftReport(node.id);
    expect(report).toMatchObject({
      status: 'drift',
      has_drift: true,
      summary: { expected: 1, actual: 0, missing: 1 },
      missing_peers: [{ peer_id: peer.id, name: 'tunnel-client', public_key: peer.public_key }],
    });
  }, 20000);

  it('carries pings again after a reconcile through the panel', async () => {
    const job = await reconcileAndWait(api, node.id);
    expect(job.result).toMatchObject({
      added: [peer.name],
      updated: [],
      removed: [],
      errors: [],
      verified: true,
    });
    expect((await api.driftReport(node.id)).status).toBe('in_sync');
    // The client still holds the old session, which the node forgot: it handshakes again after
    // WireGuard's rekey timeout (about 15 s of unanswered traffic).
    await expect(pingsThrough(40000)).resolves.toBe(true);
  }, 60000);
});
