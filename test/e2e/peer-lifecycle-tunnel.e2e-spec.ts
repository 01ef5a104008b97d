/**
 * Peer lifecycle on a real tunnel: traffic through it uses up the peer's quota, and the next scan and
 * enforcement pass suspend the peer and take it off its node (the tunnel stops, `peer.suspended` arrives
 * signed); raising the quota brings it back with its preshared key (the PATCH lifts the suspension, the sync
 * puts the peer back, the tunnel works again). An expiry a few seconds ahead does the same.
 *
 *   host ── veth 10.231.0.1 ↔ 10.231.0.2 ── [A: agent :8420, wglc0 10.231.1.1/24 :51830]
 *                                              │ veth 10.231.0.9 ↔ 10.231.0.10
 *                                           [B: wglcc0, addresses from the client config]
 */
import { Webhook } from 'standardwebhooks';
import { createNetworkNamespace, type NetworkNamespace } from '../../agent/test/support/wg-interface';
import { startPanel, ADMIN_TOKEN, type TestPanel } from '../support/panel';
import { WebhookReceiver } from '../support/webhook-receiver';
import { bringUpClientConfig, type ClientTunnel } from './support/client-tunnel';
import { pollFor, createAppliedPeers, registerNode } from './support/fleet-flows';
import {
  linkNamespaces,
  removeStaleNamespace,
  startNamespaceNode,
  type NamespaceNode,
} from './support/namespace-node';
import { PanelApi, type NodeView, type PeerView } from './support/panel-api';

const NAMESPACE_A = 'wglc-a';
const NAMESPACE_B = 'wglc-b';
const INTERFACE = 'wglc0';
const NODE_TUNNEL_ADDRESS = '10.231.1.1';
const SCAN_INTERVAL_S = 2;
const QUOTA_BYTES = 2_000_000;

interface LifecyclePeerView extends PeerView {
  suspended_reason: 'expired' | 'quota' | null;
  usage: { period_start: string; rx_bytes: number; tx_bytes: number };
}

describe('peer lifecycle on a real WireGuard tunnel', () => {
  let panel: TestPanel;
  let api: PanelApi;
  let server: NamespaceNode;
  let clientNamespace: NetworkNamespace;
  let client: ClientTunnel;
  let receiver: WebhookReceiver;
  let secret: string;
  let node: NodeView;
  let peer: PeerView;

  const peerView = () => api.get<LifecyclePeerView>(`/api/peers/${peer.id}`);
  const onNode = async () => (await server.wg.wg('show', INTERFACE, 'peers')).includes(peer.public_key);
  const pingsThrough = (timeoutMs: number) =>
    pollFor(async () => ((await client.ping(NODE_TUNNEL_ADDRESS)) ? true : undefined), {
      timeoutMs,
      intervalMs: 0,
      what: `a ping through the tunnel to ${NODE_TUNNEL_ADDRESS}`,
    });

  /** The peer suspended (or resumed: null) and that applied to its node. */
  const settles = (reason: 'expired' | 'quota' | null, timeoutMs: number) =>
    pollFor(
      async (seen) => {
        const view = await peerView();
        const present = await onNode();
        seen({ suspended_reason: view.suspended_reason, sync_status: view.sync_status, on_node: present });
        const settled = view.suspended_reason === reason && view.sync_status === 'applied';
        return settled && present === (reason === null) ? view : undefined;
      },
      { timeoutMs, what: `peer suspended_reason ${reason} applied to its node` },
    );

  const webhookOf = async (type: string, reason: string, timeoutMs: number) =>
    pollFor(
      async () => {
        for (const webhook of receiver.received) {
          const body = new Webhook(secret).verify(
            webhook.body,
            webhook.headers as Record<string, string>,
          ) as {
            type: string;
            data: { peer_id: string; summary: { reason?: string } };
          };
          if (body.type === type && body.data.peer_id === peer.id && body.data.summary.reason === reason)
            return body;
        }
        return undefined;
      },
      { timeoutMs, what: `a signed ${type} (${reason}) webhook` },
    );

  beforeAll(async () => {
    await Promise.all([removeStaleNamespace(NAMESPACE_A), removeStaleNamespace(NAMESPACE_B)]);
    receiver = await WebhookReceiver.start();
    [panel, server] = await Promise.all([
      startPanel({
        DRIFT_SCAN_INTERVAL_S: String(SCAN_INTERVAL_S),
        PEER_ENFORCEMENT_INTERVAL_S: '1',
        APPLY_DEBOUNCE_MS: '0',
      }),
      startNamespaceNode({
        namespace: NAMESPACE_A,
        hostAddress: '10.231.0.1/30',
        namespaceAddress: '10.231.0.2/30',
        interfaceName: INTERFACE,
        listenPort: 51830,
        tunnelAddress: `${NODE_TUNNEL_ADDRESS}/24`,
        agentRuntime: 'source',
      }),
    ]);
    clientNamespace = await createNetworkNamespace(NAMESPACE_B);
    await linkNamespaces(server.namespace, clientNamespace, 'wglc', '10.231.0');
    api = new PanelApi(await panel.app.getUrl(), ADMIN_TOKEN);
    ({ secret } = await api.post<{ secret: string }>('/api/webhooks', {
      url: receiver.url(),
      events: ['peer.suspended', 'peer.resumed'],
    }));
    node = await registerNode(api, {
      name: 'wglc-node',
      agent_url: server.agentUrl,
      agent_secret: server.agentSecret,
      interface: INTERFACE,
      endpoint: '10.231.0.9:51830',
      address_pool: '10.231.1.0/24',
      override_endpoint_allowed_ip: ['10.231.1.0/24'],
    });
    [peer] = await createAppliedPeers(api, node.id, [
      { name: 'wglc-client', generate_preshared_key: true, quota_bytes: QUOTA_BYTES, quota_period: 'day' },
    ]);
    client = await bringUpClientConfig(clientNamespace, 'wglcc0', await api.clientConfig(peer.id));
  }, 90000);

  afterAll(async () => {
    await client?.destroy();
    await clientNamespace?.destroy();
    await server?.stop();
    await panel?.close();
    await receiver?.stop();
  });

  it('suspends the peer when traffic uses up its quota, and the tunnel stops', async () => {
    await expect(pingsThrough(10000)).resolves.toBe(true);
    // About 4 MB through the tunnel (1,400-byte pings there and back); the quota is 2 MB.
    await clientNamespace
      .exec('ping', ['-q', '-s', '1400', '-i', '0.002', '-c', '1500', '-W', '1', NODE_TUNNEL_ADDRESS])
      .catch(() => undefined);
    const startedAt = Date.now();
    const suspended = await settles('quota', 15000);
    // One scan to count the traffic, one enforcement pass, one sync: within a scan interval or so.
    expect(Date.now() - startedAt).toBeLessThan((SCAN_INTERVAL_S + 1 + 3) * 1000);
    expect(suspended.usage.rx_bytes + suspended.usage.tx_bytes).toBeGreaterThanOrEqual(QUOTA_BYTES);
    expect(await client.ping(NODE_TUNNEL_ADDRESS)).toBe(false);
    await webhookOf('peer.suspended', 'quota', 10000);

    // Suspended and off its node: no drift.
    const report = await api.driftReport(node.id);
    expect(report).toMatchObject({ status: 'in_sync', summary: { expected: 0, missing: 0, orphaned: 0 } });
    const { items } = await api.get<{ items: Array<{ period: string; rx_bytes: number; tx_bytes: number }> }>(
      `/api/peers/${peer.id}/usage`,
    );
    expect(items[0].period).toBe('day');
    expect(items[0].rx_bytes + items[0].tx_bytes).toBeGreaterThanOrEqual(QUOTA_BYTES);
  }, 60000);

  it('reports the suspended peer found on its node again as orphaned', async () => {
    await server.wg.wg('set', INTERFACE, 'peer', peer.public_key, 'allowed-ips', peer.allowed_ips.join(','));
    const report = await api.driftReport(node.id);
    expect(report).toMatchObject({
      status: 'drift',
      orphaned_peers: [{ peer_id: peer.id, public_key: peer.public_key }],
    });
    await server.wg.wg('set', INTERFACE, 'peer', peer.public_key, 'remove');
  }, 30000);

  it('resumes the peer with its preshared key when the quota is raised, and the tunnel works again', async () => {
    const raised = await api.patch<LifecyclePeerView>(`/api/peers/${peer.id}`, {
      quota_bytes: 1_000_000_000,
    });
    // The PATCH lifts the suspension itself; the sync carries that to the node.
    expect(raised.suspended_reason).toBeNull();
    await settles(null, 15000);
    const presharedKeys = await server.wg.wg('show', INTERFACE, 'preshared-keys');
    expect(presharedKeys).toContain(peer.public_key);
    expect(presharedKeys).not.toContain('(none)');
    // The client still holds the session the node forgot: it handshakes again after WireGuard's rekey
    // timeout (about 15 s of unanswered traffic), with the preshared key of its config.
    await expect(pingsThrough(40000)).resolves.toBe(true);
    await webhookOf('peer.resumed', 'quota', 10000);
  }, 90000);

  it('suspends the peer at its expiry and resumes it when the expiry moves', async () => {
    await api.patch(`/api/peers/${peer.id}`, { expires_at: new Date(Date.now() + 3000).toISOString() });
    await settles('expired', 15000);
    expect(await client.ping(NODE_TUNNEL_ADDRESS)).toBe(false);
    await webhookOf('peer.suspended', 'expired', 10000);

    const moved = await api.patch<LifecyclePeerView>(`/api/peers/${peer.id}`, { expires_at: null });
    expect(moved.suspended_reason).toBeNull();
    await settles(null, 15000);
    await expect(pingsThrough(40000)).resolves.toBe(true);
    await webhookOf('peer.resumed', 'expired', 10000);
  }, 90000);
});
