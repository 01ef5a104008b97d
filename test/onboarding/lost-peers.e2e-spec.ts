import { createWgInterface, WgInterface } from '../../agent/test/support/wg-interface';
import { createFleetNode, eventually, FleetNode, peersSynced, registerWith } from '../reconcile-fixture';
import { startPanel, TestPanel } from '../support/panel';
import { WebhookReceiver } from '../support/webhook-receiver';

jest.setTimeout(180000);

const PEERS = 20;
const SCAN_INTERVAL_S = 3;

describe('a node whose interface came back empty (wireguard-go restarted)', () => {
  let panel: TestPanel;
  let receiver: WebhookReceiver;
  const nodes: FleetNode[] = [];
  const restarted: WgInterface[] = [];

  beforeAll(async () => {
    panel = await startPanel({
      DRIFT_SCAN_INTERVAL_S: String(SCAN_INTERVAL_S),
      AUTO_RECONCILE_MIN_INTERVAL_S: '0',
      APPLY_DEBOUNCE_MS: '50',
      WEBHOOK_FLAP_HOLD_S: '0',
    });
    receiver = await WebhookReceiver.start();
    await panel
      .as()
      .post('/api/webhooks', { url: receiver.url(), events: ['drift.detected'] })
      .expect(201);
  });

  afterAll(async () => {
    for (const wg of restarted) await wg.destroy();
    for (const node of nodes) await node.destroy();
    await receiver?.stop();
    await panel?.close();
  });

  async function nodeWithPeers(autoReconcile: 'safe' | 'off'): Promise<FleetNode> {
    const node = await createFleetNode(registerWith(panel), {
      prefix: 'wgob',
      nodeFields: { auto_reconcile: autoReconcile },
    });
    nodes.push(node);
    const ids: string[] = [];
    for (let i = 0; i < PEERS; i++) {
      const { body } = await panel
        .as()
        .post(`/api/nodes/${node.id}/peers`, { name: `p${i}`, generate_preshared_key: i % 2 === 0 })
        .expect(201);
      ids.push(body.id);
    }
    await peersSynced(panel, ids);
    return node;
  }

  /** Kills wireguard-go and starts it again with the same key and port: an empty interface. */
  async function restartWireguardGo(node: FleetNode): Promise<void> {
    const privateKey = (await node.wg.wg('show', node.wg.name, 'private-key')).trim();
    await node.wg.destroy();
    restarted.push(
      await createWgInterface(node.wg.name, {
        keyPair: { privateKey, publicKey: node.wg.publicKey },
        listenPort: node.wg.listenPort,
      }),
    );
    expect((await node.dump()).peers).toHaveLength(0);
  }

  it('is restored by auto_reconcile "safe" within a scan interval; without it, the alert says what happened', async () => {
    const [healing, manual] = [await nodeWithPeers('safe'), await nodeWithPeers('off')];
    const before = (await healing.dump()).peers
      .map((peer) => [peer.public_key, peer.preshared_key_sha256])
      .sort();

    await Promise.all([restartWireguardGo(healing), restartWireguardGo(manual)]);
    const restartedAt = Date.now();
    // Watched on the node itself, so no live drift read of the panel's helps it along.
    await eventually(
      async () => ((await healing.dump()).peers.length === PEERS ? true : undefined),
      (SCAN_INTERVAL_S + 10) * 1000,
      'the peers back on the restarted node',
    );
    const restoredInMs = Date.now() - restartedAt;
    process.stdout.write(
      `restored ${PEERS} peers ${restoredInMs} ms after wireguard-go restarted (scan interval ${SCAN_INTERVAL_S} s)\n`,
    );
    expect(restoredInMs).toBeLessThan(SCAN_INTERVAL_S * 1000 + 5000);
    const after = (await healing.dump()).peers
      .map((peer) => [peer.public_key, peer.preshared_key_sha256])
      .sort();
    expect(after).toEqual(before);
    expect((await panel.as().get(`/api/drift/nodes/${healing.id}`).expect(200)).body.status).toBe('in_sync');

    const alert = await eventually(
      async () =>
        receiver.received
          .map(
            (request) =>
              JSON.parse(request.body) as { data: { node_id: string; summary: Record<string, unknown> } },
          )
          .find((event) => event.data.node_id === manual.id && event.data.summary.actual === 0),
      (SCAN_INTERVAL_S + 10) * 1000,
      'the alert about the emptied node',
    );
    expect(alert.data.summary).toMatchObject({ expected: PEERS, missing: PEERS });
    expect(alert.data.summary.note).toMatch(/none of its 20 peers.*auto_reconcile "safe".*reconcile/);
    expect((await manual.dump()).peers).toHaveLength(0);
  });
});
