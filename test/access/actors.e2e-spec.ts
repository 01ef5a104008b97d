import type { ActorRef } from '@wgfleet/protocol';
import { PanelApi } from '../../cli/src/panel-api';
import { startSimulatedFleet, type SimulatedFleet } from '../../scripts/bench/fleet/simulated-fleet';
import { generateKeyPair } from '../../src/common/crypto/wireguard-keys';
import { EventChain } from '../../src/modules/events';
import { PeerEnforcer } from '../../src/modules/lifecycle/peer-enforcer.service';
import { exportLines, verifyOffline } from '../audit/audit-support';
import { finishedJob } from '../reconcile-fixture';
import { startPanel, type TestPanel } from '../support/panel';
import { WebhookReceiver } from '../support/webhook-receiver';

jest.setTimeout(60_000);

interface ListedEvent {
  type: string;
  aggregate_id: string;
  actor: ActorRef | null;
}

// Who did what (docs/API.md, Actors): events, reconcile jobs and webhooks name the token, the client it came
// through and the request, against a simulated agent (no WireGuard needed).
describe('actors on events, jobs and webhooks', () => {
  let panel: TestPanel;
  let fleet: SimulatedFleet;
  let receiver: WebhookReceiver;
  let ci: { id: string; token: string };
  let nodeId: string;

  beforeAll(async () => {
    [panel, fleet, receiver] = await Promise.all([
      startPanel({ DRIFT_SCAN_INTERVAL_S: '86400', WEBHOOK_FLAP_HOLD_S: '0' }),
      startSimulatedFleet({
        nodes: 1,
        peersPerNode: 0,
        firstPeer: 0,
        seed: 'actors',
        activeShare: 0,
        driftedEvery: 0,
      }),
      WebhookReceiver.start(),
    ]);
    const { body: token } = await panel
      .as()
      .post('/api/tokens', { name: 'ci-bot', role: 'write' })
      .expect(201);
    ci = { id: token.id, token: token.token };
    await panel
      .as()
      .post('/api/webhooks', { url: receiver.url(), events: ['reconcile.succeeded', 'reconcile.failed'] })
      .expect(201);
    const { body: node } = await panel
      .as(ci.token)
      .post('/api/nodes', {
        name: 'actors-node',
        agent_url: fleet.agents[0].url,
        agent_secret: fleet.secret,
        interface: fleet.agents[0].interface,
        endpoint: 'vpn.example.com',
        address_pool: '10.0.0.0/21',
        listen_port: 51820,
        public_key: generateKeyPair().publicKey,
      })
      .set('X-Wgfleet-Client', 'console')
      .set('X-Request-Id', 'register-actors-node')
      .expect(201);
    nodeId = node.id;
  });

  afterAll(async () => {
    await panel?.close();
    await fleet?.stop();
    await receiver?.stop();
  });

  async function eventsOf(query: string): Promise<ListedEvent[]> {
    const { body } = await panel.as().get(`/api/events?${query}`).expect(200);
    return body.items;
  }

  it('names the token, the console and the request on what a console request did', async () => {
    const [registered] = await eventsOf(`aggregate_id=${nodeId}`);
    expect(registered.actor).toEqual({
      kind: 'token',
      id: ci.id,
      name: 'ci-bot',
      via: 'console',
      request_id: 'register-actors-node',
    });
  });

  it('names the CLI when the CLI makes the change, and echoes the request id it records', async () => {
    const url = await panel.app.getUrl();
    const cli = new PanelApi({ url, token: ci.token, insecure: true, source: 'test' });
    const peer = await cli.createPeer(nodeId, { name: 'laptop' });
    const [created] = await eventsOf(`aggregate_id=${peer.id}`);
    expect(created.actor).toMatchObject({ kind: 'token', id: ci.id, name: 'ci-bot', via: 'cli' });
    expect(created.actor?.request_id).toEqual(expect.any(String));

    const response = await panel
      .as(ci.token)
      .patch(`/api/peers/${peer.id}`, { name: 'laptop-2', version: peer.version })
      .set('X-Wgfleet-Client', 'my-script/1.0')
      .expect(200);
    const [, renamed] = await eventsOf(`aggregate_id=${peer.id}`);
    expect(renamed.actor).toMatchObject({ via: 'api', request_id: response.headers['x-request-id'] });
  });

  it('records the actor on a reconcile job, its events and its webhook', async () => {
    const { body: queued } = await panel
      .as(ci.token)
      .post(`/api/drift/nodes/${nodeId}/reconcile`, {})
      .set('X-Wgfleet-Client', 'cli/0.1.0')
      .set('X-Request-Id', 'reconcile-actors-node')
      .expect(202);
    const expected: ActorRef = {
      kind: 'token',
      id: ci.id,
      name: 'ci-bot',
      via: 'cli',
      request_id: 'reconcile-actors-node',
    };
    const job = await finishedJob(panel, queued.job_id);
    expect(job.actor).toEqual(expected);
    const jobEvents = await eventsOf(`aggregate_id=${queued.job_id}`);
    expect(jobEvents.map((event) => [event.type, event.actor])).toEqual([
      ['reconcile.requested', expected],
      [expect.stringMatching(/^reconcile\.(completed|failed)$/), expected],
    ]);
    const [delivered] = await receiver.waitFor(1);
    expect(JSON.parse(delivered.body)).toMatchObject({ data: { job_id: queued.job_id, actor: expected } });
  });

  it('filters the event log by actor and by kind of actor', async () => {
    const byCi = await eventsOf(`actor=${ci.id}&limit=1000`);
    expect(byCi.length).toBeGreaterThanOrEqual(5);
    expect(byCi.every((event) => event.actor?.id === ci.id)).toBe(true);
    const byAdmin = await eventsOf(`actor=${ci.id}-not&limit=1000`);
    expect(byAdmin).toEqual([]);
    const tokens = await eventsOf('actor_kind=token&limit=1000');
    expect(tokens.length).toBe(byCi.length);

    // The enforcer suspends an expired peer on its own: the system did that.
    const { body: expiring } = await panel
      .as(ci.token)
      .post(`/api/nodes/${nodeId}/peers`, {
        name: 'short-lived',
        expires_at: new Date(Date.now() + 500).toISOString(),
      })
      .expect(201);
    await panel.app.get(PeerEnforcer).enforcePeer(expiring.id, new Date(Date.now() + 1000));
    const system = await eventsOf('actor_kind=system&limit=1000');
    expect(system.map((event) => [event.aggregate_id, event.type, event.actor])).toEqual([
      [
        expiring.id,
        'peer.suspended',
        { kind: 'system', id: 'peer-enforcer', name: 'peer-enforcer', via: 'api', request_id: null },
      ],
    ]);
    const refused = await panel.as().get('/api/events?actor_kind=robot').expect(400);
    expect(refused.body.error.message).toMatch(/actor_kind/);
  });

  it('seals the actors into the audit chain, which the offline verifier accepts', async () => {
    await panel.app.get(EventChain).sealPending();
    const lines = await exportLines(panel);
    const chained = lines.filter((line) => line.kind === 'event');
    expect(chained.filter((line) => line.actor?.id === ci.id).length).toBeGreaterThanOrEqual(5);
    expect(verifyOffline(lines)).toMatchObject({ ok: true, events: chained.length });
  });
});
