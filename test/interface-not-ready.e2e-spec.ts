import { startAgentInProcess, type RunningAgent } from '../agent/test/support/agent-process';
import { createWgInterface, uniqueInterfaceName, type WgInterface } from '../agent/test/support/wg-interface';
import { startPanel, TestPanel } from './support/panel';
import { WebhookReceiver } from './support/webhook-receiver';

jest.setTimeout(60000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A real wireguard-go interface that is up but has no private key: a node still being set up. */
describe('an interface that is up without a private key', () => {
  let panel: TestPanel;
  let receiver: WebhookReceiver;
  let wg: WgInterface;
  let agent: RunningAgent;

  beforeAll(async () => {
    wg = await createWgInterface(uniqueInterfaceName('xcp'));
    agent = await startAgentInProcess({ interfaces: [wg.name] });
    receiver = await WebhookReceiver.start();
    panel = await startPanel({
      WEBHOOK_FLAP_HOLD_S: '0',
      DRIFT_SCAN_INTERVAL_S: '86400',
      DRIFT_LIVE_MIN_INTERVAL_S: '0',
    });
  });

  afterAll(async () => {
    await panel?.close();
    await receiver?.stop();
    await agent?.stop();
    await wg?.destroy();
  });

  it('is reported as "interface not ready", and node.unreachable waits for a second such scan', async () => {
    // The node's alerts only: the audit chain's checkpoints arrive on their own schedule.
    const nodeAlerts = [
      'drift.detected',
      'drift.changed',
      'drift.resolved',
      'node.unreachable',
      'node.recovered',
    ];
    await panel.as().post('/api/webhooks', { url: receiver.url(), events: nodeAlerts }).expect(201);
    const { body: node } = await panel
      .as()
      .post('/api/nodes', {
        name: 'xcp-not-ready',
        agent_url: agent.url,
        interface: wg.name,
        endpoint: 'vpn.example.com',
        address_pool: '10.176.1.0/24',
        agent_secret: agent.secret,
      })
      .expect(201);
    const scan = async () => (await panel.as().get(`/api/drift/nodes/${node.id}`).expect(200)).body;
    expect((await scan()).status).toBe('in_sync');

    // An empty key file takes the key away: `wg show` says "(none)" as on a freshly created interface.
    await wg.wg('set', wg.name, 'private-key', '/dev/null');
    const notReady = await scan();
    expect(notReady).toMatchObject({ status: 'unknown' });
    expect(notReady.error).toMatch(/^interface_not_ready: the interface is up but has no private key yet$/);
    await sleep(700);
    expect(receiver.received).toHaveLength(0);

    expect((await scan()).error).toMatch(/^interface_not_ready:/);
    const [unreachable] = await receiver.waitFor(1);
    expect(JSON.parse(unreachable.body)).toMatchObject({
      type: 'node.unreachable',
      data: { node_id: node.id, summary: { error: expect.stringMatching(/^interface_not_ready:/) } },
    });
  });
});
