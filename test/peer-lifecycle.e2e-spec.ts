import { EntityManager } from '@mikro-orm/postgresql';
import { Webhook } from 'standardwebhooks';
import { generateKeyPair } from '../src/common/crypto/wireguard-keys';
import { boundQuery } from '../src/database/bound-query';
import { PeerEnforcer } from '../src/modules/lifecycle/peer-enforcer.service';
import { PeerUsageRetention } from '../src/modules/lifecycle/peer-usage-retention.service';
import { TestPanel, startPanel } from './support/panel';
import { recordTraffic } from './support/peer-traffic';
import { WebhookReceiver, type ReceivedWebhook } from './support/webhook-receiver';

interface PeerEventBody {
  type: string;
  data: { peer_id: string; peer_name: string; node_id: string; summary: Record<string, unknown> };
}

describe('peer lifecycle: fields, usage, enforcement, alerts (REST, PostgreSQL)', () => {
  let panel: TestPanel;
  let receiver: WebhookReceiver;
  let secret: string;
  let nodeId: string;

  beforeAll(async () => {
    panel = await startPanel({ PEER_EXPIRY_WARNING_S: '3600', PEER_QUOTA_WARNING_RATIO: '0.5' });
    receiver = await WebhookReceiver.start();
    ({ secret } = (
      await panel
        .as()
        .post('/api/webhooks', {
          url: receiver.url(),
          events: ['peer.expiring', 'peer.suspended', 'peer.quota_warning', 'peer.resumed'],
        })
        .expect(201)
    ).body);
    // Its agent does not answer: sync keeps trying, which changes nothing asserted here.
    const node = {
      name: 'wglc-lifecycle',
      agent_url: 'http://127.0.0.1:9',
      interface: 'wglc0',
      endpoint: 'vpn.example.com',
      address_pool: '10.77.0.0/24',
      public_key: generateKeyPair().publicKey,
      agent_secret: 'agent-secret-that-is-long-enough-0123456789',
    };
    nodeId = (await panel.as().post('/api/nodes', node).expect(201)).body.id;
  });

  afterAll(async () => {
    await receiver.stop();
    await panel.close();
  });

  const verified = (webhook: ReceivedWebhook) =>
    new Webhook(secret).verify(webhook.body, webhook.headers as Record<string, string>) as PeerEventBody;

  async function createPeer(body: object = {}) {
    const { body: peer } = await panel
      .as()
      .post(`/api/nodes/${nodeId}/peers`, { name: `peer-${Math.random().toString(36).slice(2, 8)}`, ...body })
      .expect(201);
    return peer;
  }

  it('refuses bad lifecycle input with 400 naming the field, storing nothing', async () => {
    const cases: Array<[object, string]> = [
      [{ quota_bytes: -1 }, 'quota_bytes'],
      [{ quota_bytes: 1.5 }, 'quota_bytes'],
      [{ quota_period: 'year' }, 'quota_period'],
      [{ quota_period: null }, 'quota_period'],
      [{ expires_at: 'next tuesday' }, 'expires_at'],
      [{ expires_at: '2026-02-30T00:00:00Z' }, 'expires_at'],
    ];
    for (const [body, field] of cases) {
      const { body: answer } = await panel
        .as()
        .post(`/api/nodes/${nodeId}/peers`, { name: 'refused', ...body })
        .expect(400);
      expect(answer.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    const peer = await createPeer();
    for (const [body, field] of cases) {
      const { body: answer } = await panel.as().patch(`/api/peers/${peer.id}`, body).expect(400);
      expect(answer.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    const { body: peers } = await panel.as().get(`/api/nodes/${nodeId}/peers`).expect(200);
    expect(peers.items.map((item: { name: string }) => item.name)).not.toContain('refused');
    expect((await panel.as().get(`/api/peers/${peer.id}`).expect(200)).body.version).toBe(1);
  });

  it('sets expiry and quota on create and by PATCH, as versioned events', async () => {
    const peer = await createPeer({
      expires_at: '2030-01-01T01:00:00+01:00',
      quota_bytes: 5_000_000_000,
      quota_period: 'week',
    });
    expect(peer).toMatchObject({
      expires_at: '2030-01-01T00:00:00.000Z',
      quota_bytes: 5_000_000_000,
      quota_period: 'week',
      suspended_reason: null,
      usage: { rx_bytes: 0, tx_bytes: 0 },
    });
    const fresh = await createPeer();
    expect(fresh).toMatchObject({ expires_at: null, quota_bytes: null, quota_period: 'month' });
    expect(new Date(fresh.usage.period_start).getUTCDate()).toBe(1);

    const { body: patched } = await panel
      .as()
      .patch(`/api/peers/${peer.id}`, {
        quota_bytes: null,
        quota_period: 'total',
        expires_at: null,
        version: 1,
      })
      .expect(200);
    expect(patched).toMatchObject({ version: 2, quota_bytes: null, quota_period: 'total', expires_at: null });
    expect(patched.usage.period_start).toBe(peer.created_at);
    const { body: events } = await panel.as().get(`/api/events?aggregate_id=${peer.id}`).expect(200);
    expect(events.items.map((event: { type: string }) => event.type)).toEqual([
      'peer.created',
      'peer.updated',
    ]);
    // Nothing changed: no event.
    await panel.as().patch(`/api/peers/${peer.id}`, { quota_period: 'total' }).expect(200);
    expect((await panel.as().get(`/api/peers/${peer.id}`)).body.version).toBe(2);
  });

  it('suspends past expiry and over quota, lifts it when the reason goes, and alerts once each', async () => {
    const enforcer = panel.app.get(PeerEnforcer);
    const now = new Date();
    const expiring = await createPeer({ expires_at: new Date(now.getTime() + 30 * 60_000).toISOString() });
    const metered = await createPeer({ quota_bytes: 1000, quota_period: 'day' });
    const received = receiver.received.length;

    // Within the warning lead time, and at half the quota: one warning each, however many passes.
    await recordTraffic(panel, [{ peerId: metered.id, rx: 300, tx: 300 }], now);
    await enforcer.enforce(now);
    await enforcer.enforce(now);
    const warnings = (await receiver.waitFor(received + 2)).slice(received).map(verified);
    expect(warnings.map((body) => [body.type, body.data.peer_id]).sort()).toEqual(
      [
        ['peer.expiring', expiring.id],
        ['peer.quota_warning', metered.id],
      ].sort(),
    );
    expect(warnings.find((body) => body.type === 'peer.quota_warning')!.data.summary).toMatchObject({
      quota_bytes: 1000,
      used_bytes: 600,
      quota_period: 'day',
    });

    // Past the expiry, over the quota.
    await recordTraffic(panel, [{ peerId: metered.id, rx: 400, tx: 0 }], now);
    const later = new Date(now.getTime() + 31 * 60_000);
    const passed = await enforcer.enforce(later);
    expect(passed).toMatchObject({ suspended: 2, resumed: 0 });
    const suspensions = (await receiver.waitFor(received + 4)).slice(received + 2).map(verified);
    expect(suspensions.map((body) => [body.data.peer_id, body.data.summary.reason]).sort()).toEqual(
      [
        [expiring.id, 'expired'],
        [metered.id, 'quota'],
      ].sort(),
    );
    for (const [peer, reason] of [
      [expiring, 'expired'],
      [metered, 'quota'],
    ] as const) {
      const { body } = await panel.as().get(`/api/peers/${peer.id}`).expect(200);
      // Suspended, not disabled: `enabled` stays what the operator set.
      expect(body).toMatchObject({ suspended_reason: reason, enabled: true, version: 2 });
    }
    expect((await enforcer.enforce(later)).suspended).toBe(0);

    // Raising the quota and moving the expiry lift the suspensions with the PATCH itself, not a pass later.
    const { body: raised } = await panel
      .as()
      .patch(`/api/peers/${metered.id}`, { quota_bytes: 10_000 })
      .expect(200);
    expect(raised).toMatchObject({ suspended_reason: null, quota_bytes: 10_000, version: 4 });
    const { body: moved } = await panel
      .as()
      .patch(`/api/peers/${expiring.id}`, {
        expires_at: new Date(now.getTime() + 7 * 86_400_000).toISOString(),
      })
      .expect(200);
    expect(moved).toMatchObject({ suspended_reason: null, version: 4 });
    const resumptions = (await receiver.waitFor(received + 6)).slice(received + 4).map(verified);
    expect(resumptions.map((body) => [body.type, body.data.peer_id, body.data.summary.reason])).toEqual([
      ['peer.resumed', metered.id, 'quota'],
      ['peer.resumed', expiring.id, 'expired'],
    ]);
    const { body: events } = await panel.as().get(`/api/events?aggregate_id=${expiring.id}`).expect(200);
    expect(events.items.map((event: { type: string }) => event.type)).toEqual([
      'peer.created',
      'peer.suspended',
      'peer.updated',
      'peer.resumed',
    ]);
    expect(await enforcer.enforce(later)).toMatchObject({ resumed: 0, suspended: 0 });
    expect(receiver.received).toHaveLength(received + 6);
  });

  it('suspends and resumes many peers in one pass, one event and one webhook each', async () => {
    const enforcer = panel.app.get(PeerEnforcer);
    const now = new Date();
    const peers = await Promise.all(
      Array.from({ length: 12 }, () => createPeer({ quota_bytes: 2000, quota_period: 'day' })),
    );
    const received = receiver.received.length;
    await recordTraffic(
      panel,
      peers.map((peer) => ({ peerId: peer.id, rx: 2000, tx: 0 })),
      now,
    );
    // One quota warning and one suspension per peer.
    expect(await enforcer.enforce(now)).toMatchObject({ suspended: 12, resumed: 0, warnings: 12 });
    const suspended = (await receiver.waitFor(received + 24))
      .slice(received)
      .map(verified)
      .filter((body) => body.type === 'peer.suspended');
    expect(suspended.map((body) => body.data.peer_id).sort()).toEqual(peers.map((peer) => peer.id).sort());
    for (const peer of peers) {
      const { body: events } = await panel.as().get(`/api/events?aggregate_id=${peer.id}`).expect(200);
      expect(events.items).toEqual([
        expect.objectContaining({ type: 'peer.created', version: 1 }),
        expect.objectContaining({
          type: 'peer.suspended',
          version: 2,
          payload: { node_id: nodeId, reason: 'quota' },
        }),
      ]);
      expect((await panel.as().get(`/api/peers/${peer.id}`)).body).toMatchObject({
        suspended_reason: 'quota',
        version: 2,
      });
    }
    // The next day's period: every suspension lifts in the same pass.
    expect(await enforcer.enforce(new Date(now.getTime() + 86_400_000))).toMatchObject({ resumed: 12 });
    const resumed = (await receiver.waitFor(received + 36)).slice(received + 24).map(verified);
    expect(resumed.map((body) => body.type)).toEqual(Array(12).fill('peer.resumed'));
    for (const peer of peers) {
      expect((await panel.as().get(`/api/peers/${peer.id}`)).body).toMatchObject({
        suspended_reason: null,
        version: 3,
      });
    }
  });

  it('lifts a quota suspension in the next period by itself', async () => {
    const enforcer = panel.app.get(PeerEnforcer);
    const today = new Date();
    const peer = await createPeer({ quota_bytes: 100, quota_period: 'day' });
    await recordTraffic(panel, [{ peerId: peer.id, rx: 100, tx: 1 }], today);
    await enforcer.enforce(today);
    expect((await panel.as().get(`/api/peers/${peer.id}`)).body).toMatchObject({
      suspended_reason: 'quota',
      usage: { rx_bytes: 100, tx_bytes: 1 },
    });
    const metrics = (await panel.as().get('/metrics').expect(200)).text;
    expect(metrics).toContain('wgfleet_peers_suspended{reason="quota"} 1');
    expect(metrics).toContain('wgfleet_peers_suspended{reason="expired"} 0');
    // Per-peer series only with METRICS_PER_PEER.
    expect(metrics).not.toContain('wgfleet_peer_period_usage_bytes{');
    await enforcer.enforce(new Date(today.getTime() + 86_400_000));
    expect((await panel.as().get(`/api/peers/${peer.id}`)).body.suspended_reason).toBeNull();

    const { body: history } = await panel.as().get(`/api/peers/${peer.id}/usage`).expect(200);
    expect(history.items).toEqual([expect.objectContaining({ period: 'day', rx_bytes: 100, tx_bytes: 1 })]);
    await panel.as().get(`/api/peers/00000000-0000-4000-8000-000000000000/usage`).expect(404);
  });

  it('closes a period when traffic lands in the next, and counts on in a period the quota left and came back to', async () => {
    const peer = await createPeer({ quota_period: 'day' });
    const today = new Date();
    const tomorrow = new Date(today.getTime() + 86_400_000);
    const usageNow = async () => (await panel.as().get(`/api/peers/${peer.id}`).expect(200)).body.usage;
    const history = async () => (await panel.as().get(`/api/peers/${peer.id}/usage`).expect(200)).body.items;

    await recordTraffic(panel, [{ peerId: peer.id, rx: 100, tx: 10 }], today);
    await recordTraffic(panel, [{ peerId: peer.id, rx: 50, tx: 5 }], today);
    expect(await usageNow()).toMatchObject({ rx_bytes: 150, tx_bytes: 15 });
    // To a month and back within the day: the day's bytes count on from where they were.
    await panel.as().patch(`/api/peers/${peer.id}`, { quota_period: 'month' }).expect(200);
    expect(await usageNow()).toMatchObject({ rx_bytes: 0, tx_bytes: 0 });
    await recordTraffic(panel, [{ peerId: peer.id, rx: 7, tx: 3 }], today);
    expect(await usageNow()).toMatchObject({ rx_bytes: 7, tx_bytes: 3 });
    await panel.as().patch(`/api/peers/${peer.id}`, { quota_period: 'day' }).expect(200);
    await recordTraffic(panel, [{ peerId: peer.id, rx: 1, tx: 1 }], today);
    expect(await usageNow()).toMatchObject({ rx_bytes: 151, tx_bytes: 16 });
    // The next day's traffic starts the next day's period; today's stays in the history.
    await recordTraffic(panel, [{ peerId: peer.id, rx: 20, tx: 2 }], tomorrow);
    expect(
      (await history()).map((item: { period: string; rx_bytes: number; tx_bytes: number }) => [
        item.period,
        item.rx_bytes,
        item.tx_bytes,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['day', 20, 2],
        ['day', 151, 16],
        ['month', 7, 3],
      ]),
    );
    expect(await history()).toHaveLength(3);
  });

  it("counts a total quota from the peer's creation, and forgets a deleted peer's activity and usage", async () => {
    const gone = await createPeer({ quota_period: 'day' });
    const kept = await createPeer({ quota_period: 'total' });
    const today = new Date();
    const tomorrow = new Date(today.getTime() + 86_400_000);
    await recordTraffic(
      panel,
      [
        { peerId: gone.id, rx: 5, tx: 5 },
        { peerId: kept.id, rx: 30, tx: 3 },
      ],
      today,
    );
    // The next day's traffic closes the gone peer's first day into its history.
    await recordTraffic(panel, [{ peerId: gone.id, rx: 1, tx: 1 }], tomorrow);
    const { body: keptView } = await panel.as().get(`/api/peers/${kept.id}`).expect(200);
    expect(keptView.usage).toMatchObject({ period_start: kept.created_at, rx_bytes: 30, tx_bytes: 3 });

    await panel.as().delete(`/api/peers/${gone.id}`).expect(204);
    await panel.app.get(PeerUsageRetention).prune();
    const em = panel.app.get(EntityManager).fork();
    const left = async (table: string) =>
      (
        await boundQuery<{ peer_id: string }>(
          em,
          `select distinct peer_id from ${table} where peer_id = any(?::uuid[]) order by peer_id`,
          [[gone.id, kept.id]],
        )
      ).map((row) => row.peer_id);
    expect(await left('peer_activity')).toEqual([kept.id]);
    expect(await left('peer_usage')).toEqual([]);
    const { body: keptHistory } = await panel.as().get(`/api/peers/${kept.id}/usage`).expect(200);
    expect(keptHistory.items).toEqual([
      expect.objectContaining({ period: 'total', period_start: kept.created_at, rx_bytes: 30, tx_bytes: 3 }),
    ]);
  });

  it('suspends the other peers of a pass when one cannot be changed, and that one at a later pass', async () => {
    const enforcer = panel.app.get(PeerEnforcer);
    const em = panel.app.get(EntityManager);
    const now = new Date();
    const peers = await Promise.all(
      Array.from({ length: 3 }, () => createPeer({ quota_bytes: 100, quota_period: 'day' })),
    );
    await recordTraffic(
      panel,
      peers.map((peer) => ({ peerId: peer.id, rx: 100, tx: 0 })),
      now,
    );
    // An event the read model never saw: appending this peer's next version fails, and the pass's batch with it.
    const [stuck, ...others] = peers;
    await em.fork().execute(
      `insert into events (aggregate_type, aggregate_id, version, type, payload, metadata)
       values ('peer', ?, 2, 'peer.updated', ?, '{}')`,
      [stuck.id, JSON.stringify({ node_id: nodeId, changes: {} })],
    );
    // Earlier tests' peers are over their quotas again today and suspended too: only these three are asserted.
    await enforcer.enforce(now);
    const reasons = async () =>
      Promise.all(
        peers.map(async (peer) => (await panel.as().get(`/api/peers/${peer.id}`)).body.suspended_reason),
      );
    expect(await reasons()).toEqual([null, 'quota', 'quota']);
    for (const peer of others) {
      const { body: events } = await panel.as().get(`/api/events?aggregate_id=${peer.id}`).expect(200);
      expect(events.items.map((event: { type: string }) => event.type)).toEqual([
        'peer.created',
        'peer.suspended',
      ]);
    }

    // The read model catches up with the log: the next pass can suspend the peer.
    await em.fork().execute('update peers set version = 2 where id = ?', [stuck.id]);
    expect(await enforcer.enforce(now)).toMatchObject({ suspended: 1 });
    expect(await reasons()).toEqual(['quota', 'quota', 'quota']);
  });
});
