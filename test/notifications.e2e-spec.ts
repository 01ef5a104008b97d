import { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import {
  createWgInterface,
  randomKey,
  uniqueInterfaceName,
  type WgInterface,
} from '../agent/test/support/wg-interface';
import { systemActor } from '../src/common/auth/auth.decorators';
import { startAgentInProcess, type RunningAgent } from '../agent/test/support/agent-process';
import type { NodeDriftReport } from '../src/modules/drift/domain/drift-report';
import type { StoredScan } from '../src/modules/drift/scan-listeners';
import { AlertOutbox } from '../src/modules/notifications/alert-outbox.service';
import { DriftAlertListener } from '../src/modules/notifications/drift-alert.listener';
import { WebhookRetention } from '../src/modules/notifications/webhook-retention.service';
import { dropDatabase, startPanel, TestPanel, testDatabaseUrl } from './support/panel';
import { ReceivedWebhook, WebhookReceiver } from './support/webhook-receiver';

const FAST_RETRIES = { WEBHOOK_RETRY_SCHEDULE: '200ms,200ms,200ms,200ms', WEBHOOK_FLAP_HOLD_S: '0' };

type ScanState = { status: 'in_sync' } | { status: 'drift'; fingerprint: string } | { status: 'unknown' };

/** A stored scan as the drift module would hand it over, without needing a node or an agent. */
function syntheticScan(node: { id: string; name: string }, state: ScanState): StoredScan {
  const checkedAt = new Date();
  const drifted = state.status === 'drift';
  const report: NodeDriftReport = {
    node_id: node.id,
    node_name: node.name,
    checked_at: checkedAt.toISOString(),
    status: state.status,
    has_drift: drifted,
    ...(state.status === 'unknown' ? { error: 'connect ECONNREFUSED 10.0.0.5:8420' } : {}),
    summary: {
      expected: 2,
      actual: drifted ? 1 : 2,
      missing: drifted ? 1 : 0,
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
    pending_peers: [],
  };
  return {
    id: randomUUID(),
    nodeId: node.id,
    nodeName: node.name,
    trigger: 'schedule',
    status: state.status,
    fingerprint: state.status === 'drift' ? state.fingerprint : null,
    report,
    checkedAt,
  };
}

/** Stores a scan the way the drift module does: the listener inside the transaction, its callback after. */
async function storeScan(panel: TestPanel, scan: StoredScan, { enqueue = true } = {}): Promise<void> {
  const listener = panel.app.get(DriftAlertListener);
  const afterCommit = await panel.app
    .get(EntityManager)
    .fork()
    .transactional((em) => listener.onScanStored(em, scan));
  if (enqueue && afterCommit) await afterCommit();
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function verified(webhook: ReceivedWebhook, secret: string): unknown {
  return new Webhook(secret).verify(webhook.body, webhook.headers as Record<string, string>);
}

describe('webhook notifications', () => {
  let panel: TestPanel;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    panel = await startPanel(FAST_RETRIES);
  });

  afterAll(async () => {
    await panel?.close();
  });

  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
  });

  afterEach(async () => {
    await receiver.stop();
    const { body } = await panel.as().get('/api/webhooks');
    for (const { id } of body.items as { id: string }[])
      await panel.as().delete(`/api/webhooks/${id}`).expect(204);
  });

  async function subscribe(
    body: object = {},
  ): Promise<{ id: string; secret: string; version: number; events: string[] }> {
    const { body: created } = await panel
      .as()
      .post('/api/webhooks', { url: receiver.url(), ...body })
      .expect(201);
    return created;
  }

  async function deliveriesOf(subscriptionId: string) {
    const { body } = await panel.as().get(`/api/webhooks/${subscriptionId}/deliveries`).expect(200);
    return body.items as Array<{
      id: string;
      webhook_id: string;
      event_type: string;
      status: string;
      attempt_count: number;
      attempts: Array<{
        attempt: number;
        status_code: number | null;
        error: string | null;
        duration_ms: number;
      }>;
    }>;
  }

  describe('subscriptions', () => {
    it('shows the secret once, on creation, and never in views', async () => {
      const created = await subscribe({ description: 'ops', format: 'slack', events: ['drift.detected'] });
      expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      expect(created).toMatchObject({
        enabled: true,
        format: 'slack',
        events: ['drift.detected'],
        version: 1,
      });

      const one = await panel.as().get(`/api/webhooks/${created.id}`).expect(200);
      const list = await panel.as().get('/api/webhooks').expect(200);
      expect(one.body).not.toHaveProperty('secret');
      expect(list.body.items).toHaveLength(1);
      expect(JSON.stringify([one.body, list.body])).not.toContain(created.secret.slice(6));
      expect(panel.logs()).not.toContain(created.secret.slice(6));
    });

    it('sends every type but the audit ones to a subscription that lists none', async () => {
      const { events } = await subscribe();
      expect(events).toEqual(
        expect.arrayContaining(['drift.detected', 'reconcile.failed', 'peer.suspended']),
      );
      expect(events).not.toContain('audit.checkpoint');
      expect(events).not.toContain('audit.broken');
      const { events: named } = await subscribe({ events: ['audit.checkpoint'] });
      expect(named).toEqual(['audit.checkpoint']);
    });

    it('refuses bad input with a 400 naming the field', async () => {
      const refused = async (body: object, field: string) => {
        const { body: answer } = await panel.as().post('/api/webhooks', body).expect(400);
        expect(answer.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      };
      await refused({ url: 'ftp://example.com/hook' }, 'url');
      await refused({ url: 'not a url' }, 'url');
      // Link-local holds cloud metadata services: refused even where private targets are allowed.
      await refused({ url: 'http://169.254.169.254/latest' }, 'url');
      await refused({ url: 'http://user:pw@127.0.0.1/hook' }, 'url');
      await refused({ url: receiver.url(), events: ['drift.exploded'] }, 'events');
      await refused({ url: receiver.url(), events: [] }, 'events');
      await refused({ url: receiver.url(), format: 'xml' }, 'format');
      await refused({ url: receiver.url(), secret: 'whsec_mine' }, 'secret');
    });

    it('needs the admin role', async () => {
      const { body: writer } = await panel
        .as()
        .post('/api/tokens', { name: 'writer', role: 'write' })
        .expect(201);
      await panel.as(writer.token).get('/api/webhooks').expect(403);
      await panel.as(writer.token).post('/api/webhooks', { url: receiver.url() }).expect(403);
      await panel.as('nope'.repeat(10)).get('/api/webhooks').expect(401);
    });

    it('updates with version checks and deletes', async () => {
      const created = await subscribe();
      const { body: updated } = await panel
        .as()
        .patch(`/api/webhooks/${created.id}`, { enabled: false, version: 1 })
        .expect(200);
      expect(updated).toMatchObject({ enabled: false, version: 2 });
      await panel.as().patch(`/api/webhooks/${created.id}`, { enabled: true, version: 1 }).expect(409);
      const { body: unchanged } = await panel.as().patch(`/api/webhooks/${created.id}`, { enabled: false });
      expect(unchanged.version).toBe(2);
      await panel.as().patch(`/api/webhooks/${created.id}`, { url: 'http://169.254.169.254/' }).expect(400);
      await panel.as().delete(`/api/webhooks/${created.id}?version=1`).expect(409);
      await panel.as().delete(`/api/webhooks/${created.id}?version=2`).expect(204);
      await panel.as().get(`/api/webhooks/${created.id}`).expect(404);
    });
  });

  describe('drift alerts', () => {
    it('sends one alert per change of state, none for unchanged scans', async () => {
      const { secret } = await subscribe();
      const node = { id: randomUUID(), name: 'edge-1' };

      await storeScan(panel, syntheticScan(node, { status: 'in_sync' }));
      const drift = syntheticScan(node, { status: 'drift', fingerprint: 'fp-a' });
      await storeScan(panel, drift);
      const [detected] = await receiver.waitFor(1);
      await storeScan(panel, syntheticScan(node, { status: 'drift', fingerprint: 'fp-a' }));
      await storeScan(panel, syntheticScan(node, { status: 'drift', fingerprint: 'fp-a' }));
      await storeScan(panel, syntheticScan(node, { status: 'in_sync' }));
      const [, resolved] = await receiver.waitFor(2);
      await sleep(300);

      expect(receiver.received).toHaveLength(2);
      expect(detected.headers['content-type']).toBe('application/json');
      expect(verified(detected, secret)).toEqual({
        type: 'drift.detected',
        timestamp: drift.checkedAt.toISOString(),
        data: {
          node_id: node.id,
          node_name: 'edge-1',
          summary: {
            expected: 2,
            actual: 1,
            missing: 1,
            mismatched: 0,
            orphaned: 0,
            unknown: 0,
            interface: 0,
            pending: 0,
          },
          scan_id: drift.id,
          url: `${panel.config.publicUrl}/api/drift/scans/${drift.id}`,
          actor: systemActor('drift-scanner'),
        },
      });
      expect(verified(resolved, secret)).toMatchObject({
        type: 'drift.resolved',
        data: { node_id: node.id },
      });
      expect(detected.headers['webhook-id']).not.toBe(resolved.headers['webhook-id']);
    });

    it('tells about a changed drift, an unreachable node and its recovery', async () => {
      const { secret } = await subscribe();
      const node = { id: randomUUID(), name: 'edge-2' };
      for (const state of [
        { status: 'drift', fingerprint: 'fp-a' },
        { status: 'drift', fingerprint: 'fp-b' },
        { status: 'unknown' },
        { status: 'unknown' },
        { status: 'drift', fingerprint: 'fp-b' },
      ] as ScanState[]) {
        await storeScan(panel, syntheticScan(node, state));
        await sleep(20);
      }
      await receiver.waitFor(4);
      await sleep(300);
      const types = receiver.received.map((webhook) => (verified(webhook, secret) as { type: string }).type);
      expect(types.sort()).toEqual(['drift.changed', 'drift.detected', 'node.recovered', 'node.unreachable']);
      const unreachable = receiver.received.find((webhook) => webhook.body.includes('node.unreachable'));
      expect(JSON.parse(unreachable?.body ?? '{}').data.summary.error).toBe(
        'connect ECONNREFUSED 10.0.0.5:8420',
      );
    });

    it('only sends the types a subscription asked for, in its format', async () => {
      await subscribe({ events: ['drift.resolved'], format: 'slack' });
      const node = { id: randomUUID(), name: 'edge-3' };
      await storeScan(panel, syntheticScan(node, { status: 'drift', fingerprint: 'fp-a' }));
      await storeScan(panel, syntheticScan(node, { status: 'in_sync' }));
      const [resolved] = await receiver.waitFor(1);
      await sleep(300);
      expect(receiver.received).toHaveLength(1);
      const slack = JSON.parse(resolved.body);
      expect(slack.text).toContain('Drift resolved on node edge-3');
      expect(slack.blocks.length).toBeGreaterThan(0);
    });
  });

  describe('delivery', () => {
    it('retries with the same webhook-id until a 2xx and logs every attempt', async () => {
      const { id, secret } = await subscribe();
      receiver.answer(500, 500, { status: 500, body: 'x'.repeat(5000) });
      const node = { id: randomUUID(), name: 'edge-4' };
      const jobId = randomUUID();
      const afterCommit = await panel.app
        .get(EntityManager)
        .fork()
        .transactional((em) =>
          panel.app.get(AlertOutbox).recordReconcile(em, {
            node,
            jobId,
            actor: systemActor('self-heal'),
            succeeded: false,
            summary: { added: 0, updated: 0, removed: 0, errors: 1, verified: false },
            at: new Date(),
          }),
        );
      await afterCommit();

      const requests = await receiver.waitFor(4);
      expect(new Set(requests.map((webhook) => webhook.headers['webhook-id'])).size).toBe(1);
      expect(verified(requests[3], secret)).toMatchObject({
        type: 'reconcile.failed',
        data: {
          node_id: node.id,
          job_id: jobId,
          url: `${panel.config.publicUrl}/api/reconcile/jobs/${jobId}`,
        },
      });
      const [delivery] = await eventually(async () => {
        const items = await deliveriesOf(id);
        return items[0]?.status === 'delivered' ? items : undefined;
      });
      expect(delivery).toMatchObject({ event_type: 'reconcile.failed', attempt_count: 4 });
      expect(delivery.webhook_id).toBe(requests[0].headers['webhook-id']);
      expect(delivery.attempts.map((attempt) => attempt.status_code)).toEqual([500, 500, 500, 200]);
      const excerpt = (delivery.attempts[2] as unknown as { response_excerpt: string }).response_excerpt;
      expect(excerpt).toHaveLength(1024);
      await sleep(300);
      expect(receiver.received).toHaveLength(4);
    });

    it('delivers to a receiver that was down once it is up again', async () => {
      const { id } = await subscribe();
      await receiver.stop();
      const { body: test } = await panel.as().post(`/api/webhooks/${id}/test`).expect(202);
      expect(test).toMatchObject({ event_type: 'test', status: 'pending' });
      await eventually(async () => ((await deliveriesOf(id))[0]?.attempt_count >= 1 ? true : undefined));
      await receiver.restart();

      const [received] = await receiver.waitFor(1);
      expect(JSON.parse(received.body)).toMatchObject({ type: 'test', data: { subscription_id: id } });
      const [delivery] = await eventually(async () => {
        const items = await deliveriesOf(id);
        return items[0]?.status === 'delivered' ? items : undefined;
      });
      expect(delivery.attempts[0].status_code).toBeNull();
      expect(delivery.attempts[0].error).toMatch(/ECONNREFUSED/);
      expect(delivery.attempts.at(-1)?.status_code).toBe(200);
    });

    it('disables the subscription when the receiver answers 410', async () => {
      const { id } = await subscribe();
      receiver.answer(410);
      await panel.as().post(`/api/webhooks/${id}/test`).expect(202);
      await receiver.waitFor(1);
      const { body } = await eventually(async () => {
        const answer = await panel.as().get(`/api/webhooks/${id}`);
        return answer.body.enabled === false ? answer : undefined;
      });
      expect(body).toMatchObject({
        enabled: false,
        disabled_reason: 'the receiver answered 410 Gone',
        version: 2,
      });
      expect((await deliveriesOf(id))[0]).toMatchObject({ status: 'failed', attempt_count: 1 });

      // Nothing more goes out while disabled; re-enabling clears the reason.
      await storeScan(
        panel,
        syntheticScan({ id: randomUUID(), name: 'edge-5' }, { status: 'drift', fingerprint: 'x' }),
      );
      await panel.as().post(`/api/webhooks/${id}/test`).expect(409);
      await sleep(300);
      expect(receiver.received).toHaveLength(1);
      const { body: enabled } = await panel.as().patch(`/api/webhooks/${id}`, { enabled: true }).expect(200);
      expect(enabled.disabled_reason).toBeNull();
    });

    it('redelivers a delivery with the same webhook-id', async () => {
      const { id } = await subscribe();
      await panel.as().post(`/api/webhooks/${id}/test`).expect(202);
      const [first] = await receiver.waitFor(1);
      const delivered = await eventually(async () => {
        const items = await deliveriesOf(id);
        return items[0]?.status === 'delivered' ? items[0] : undefined;
      });
      const { body: again } = await panel
        .as()
        .post(`/api/webhooks/deliveries/${delivered.id}/redeliver`)
        .expect(202);
      expect(again.id).not.toBe(delivered.id);
      const [, second] = await receiver.waitFor(2);
      expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
      await panel.as().post(`/api/webhooks/deliveries/${randomUUID()}/redeliver`).expect(404);
      const log = await eventually(async () => {
        const items = await deliveriesOf(id);
        return items.every((item) => item.status === 'delivered') ? items : undefined;
      });
      expect(log.map((item) => item.id)).toEqual([again.id, delivered.id]);
      const { body: firstPage } = await panel.as().get(`/api/webhooks/${id}/deliveries?limit=1`).expect(200);
      expect(firstPage.items.map((item: { id: string }) => item.id)).toEqual([again.id]);
      const { body: secondPage } = await panel
        .as()
        .get(`/api/webhooks/${id}/deliveries?limit=1&cursor=${firstPage.next}`)
        .expect(200);
      expect(secondPage.items.map((item: { id: string }) => item.id)).toEqual([delivered.id]);
    });

    it('prunes settled deliveries older than the history period, never a pending one', async () => {
      const { id } = await subscribe();
      for (let i = 0; i < 2; i++) await panel.as().post(`/api/webhooks/${id}/test`).expect(202);
      await receiver.waitFor(2);
      const [owed, settled] = await eventually(async () => {
        const items = await deliveriesOf(id);
        return items.length === 2 && items.every((item) => item.status === 'delivered') ? items : undefined;
      });
      // As if both had been sent 400 days ago, and the newer one's retry were still owed.
      const em = panel.app.get(EntityManager).fork();
      const aged = `created_at - interval '400 days'`;
      await em.execute(
        `update webhook_deliveries set created_at = ${aged}, updated_at = updated_at - interval '400 days' where subscription_id = ?`,
        [id],
      );
      await em.execute(
        `update webhook_notifications set created_at = ${aged}
          where id in (select notification_id from webhook_deliveries where subscription_id = ?)`,
        [id],
      );
      await em.execute(
        `update webhook_deliveries set status = 'pending', next_attempt_at = now() + interval '1 day' where id = ?`,
        [owed.id],
      );
      const notificationOf = async (deliveryId: string) =>
        (
          await em.execute<Array<{ notification_id: string }>>(
            'select notification_id from webhook_deliveries where id = ?',
            [deliveryId],
          )
        )[0].notification_id;
      const [owedNotification, settledNotification] = [
        await notificationOf(owed.id),
        await notificationOf(settled.id),
      ];

      const pruned = await panel.app.get(WebhookRetention).prune();
      expect(pruned.deliveries).toBeGreaterThanOrEqual(1);
      expect(pruned.notifications).toBeGreaterThanOrEqual(1);
      expect((await deliveriesOf(id)).map((item) => [item.id, item.status])).toEqual([[owed.id, 'pending']]);
      const left = async (sql: string, value: string) => (await em.execute(sql, [value])).length;
      expect(await left('select 1 from webhook_delivery_attempts where delivery_id = ?', settled.id)).toBe(0);
      expect(await left('select 1 from webhook_delivery_attempts where delivery_id = ?', owed.id)).toBe(1);
      expect(await left('select 1 from webhook_notifications where id = ?', settledNotification)).toBe(0);
      expect(await left('select 1 from webhook_notifications where id = ?', owedNotification)).toBe(1);
      // What is younger than the history period stays.
      await panel.as().post(`/api/webhooks/${id}/test`).expect(202);
      await receiver.waitFor(3);
      await eventually(async () => ((await deliveriesOf(id))[0]?.status === 'delivered' ? true : undefined));
      await panel.app.get(WebhookRetention).prune();
      expect(await deliveriesOf(id)).toHaveLength(2);
    });

    it('signs with both secrets during a rotation', async () => {
      const { id, secret: oldSecret } = await subscribe();
      const { body: rotated } = await panel.as().post(`/api/webhooks/${id}/rotate-secret`).expect(200);
      expect(rotated.secret).toMatch(/^whsec_/);
      expect(rotated.secret).not.toBe(oldSecret);
      expect(rotated.previous_secret_expires_at).not.toBeNull();
      const { body: view } = await panel.as().get(`/api/webhooks/${id}`).expect(200);
      expect(view).not.toHaveProperty('secret');

      await panel.as().post(`/api/webhooks/${id}/test`).expect(202);
      const [webhook] = await receiver.waitFor(1);
      expect(String(webhook.headers['webhook-signature']).split(' ')).toHaveLength(2);
      expect(verified(webhook, rotated.secret)).toMatchObject({ type: 'test' });
      expect(verified(webhook, oldSecret)).toMatchObject({ type: 'test' });
      const stranger = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
      expect(() => verified(webhook, stranger)).toThrow();
      for (const secret of [oldSecret, rotated.secret]) expect(panel.logs()).not.toContain(secret.slice(6));
    });
  });
});

describe('webhook notifications across a restart', () => {
  it('delivers an alert committed just before the panel stopped', async () => {
    const databaseUrl = testDatabaseUrl();
    const receiver = await WebhookReceiver.start();
    let second: TestPanel | undefined;
    try {
      const first = await startPanel({ ...FAST_RETRIES, DATABASE_URL: databaseUrl });
      const { body: subscription } = await first
        .as()
        .post('/api/webhooks', { url: receiver.url() })
        .expect(201);
      const node = { id: randomUUID(), name: 'edge-restart' };
      // Committed, but the panel "dies" before its after-commit enqueue runs.
      await storeScan(first, syntheticScan(node, { status: 'drift', fingerprint: 'fp-a' }), {
        enqueue: false,
      });
      await first.close();
      expect(receiver.received).toHaveLength(0);

      second = await startPanel({ ...FAST_RETRIES, DATABASE_URL: databaseUrl });
      const [webhook] = await receiver.waitFor(1);
      expect(verified(webhook, subscription.secret)).toMatchObject({
        type: 'drift.detected',
        data: { node_id: node.id },
      });
    } finally {
      await second?.close();
      await receiver.stop();
      await dropDatabase(databaseUrl);
    }
  });
});

describe('webhook notifications with a flap hold', () => {
  it('holds a quick change back and sends the state the node is in once the hold ends', async () => {
    const panel = await startPanel({ ...FAST_RETRIES, WEBHOOK_FLAP_HOLD_S: '1' });
    const receiver = await WebhookReceiver.start();
    try {
      const { body: subscription } = await panel
        .as()
        .post('/api/webhooks', { url: receiver.url() })
        .expect(201);
      const node = { id: randomUUID(), name: 'edge-flap' };
      await storeScan(panel, syntheticScan(node, { status: 'drift', fingerprint: 'fp-a' }));
      await receiver.waitFor(1);
      // Resolved and back again inside the hold: a flap, nothing to tell.
      await storeScan(panel, syntheticScan(node, { status: 'in_sync' }));
      await storeScan(panel, syntheticScan(node, { status: 'drift', fingerprint: 'fp-a' }));
      // Then resolved for good, still inside the hold: sent when the hold ends, without another scan.
      await storeScan(panel, syntheticScan(node, { status: 'in_sync' }));
      await sleep(500);
      expect(receiver.received).toHaveLength(1);

      const [, resolved] = await receiver.waitFor(2, 5000);
      expect(verified(resolved, subscription.secret)).toMatchObject({ type: 'drift.resolved' });
      const gapMs = resolved.at.getTime() - receiver.received[0].at.getTime();
      expect(gapMs).toBeGreaterThanOrEqual(900);
      await sleep(300);
      expect(receiver.received).toHaveLength(2);
    } finally {
      await receiver.stop();
      await panel.close();
    }
  });
});

describe('webhook notifications from real drift scans', () => {
  let panel: TestPanel;
  let receiver: WebhookReceiver;
  let wg: WgInterface;
  let agent: RunningAgent;

  beforeAll(async () => {
    wg = await createWgInterface(uniqueInterfaceName('wgntf'));
    agent = await startAgentInProcess({ interfaces: [wg.name] });
    receiver = await WebhookReceiver.start();
    panel = await startPanel({ ...FAST_RETRIES, DRIFT_SCAN_INTERVAL_S: '86400' });
  });

  afterAll(async () => {
    await panel?.close();
    await receiver?.stop();
    await agent?.stop();
    await wg?.destroy();
  });

  it('alerts once when a node drifts, not on repeated scans, and once when it is fixed', async () => {
    const { body: subscription } = await panel
      .as()
      .post('/api/webhooks', { url: receiver.url() })
      .expect(201);
    const { body: node } = await panel
      .as()
      .post('/api/nodes', {
        name: 'wg-real',
        agent_url: agent.url,
        interface: wg.name,
        endpoint: 'vpn.example.com',
        address_pool: '10.78.1.0/24',
        agent_secret: agent.secret,
      })
      .expect(201);
    const scan = async () => (await panel.as().get(`/api/drift/nodes/${node.id}`).expect(200)).body;

    expect((await scan()).status).toBe('in_sync');
    const stranger = randomKey();
    await wg.wg('set', wg.name, 'peer', stranger, 'allowed-ips', '10.99.0.1/32');
    expect((await scan()).status).toBe('drift');
    const [detected] = await receiver.waitFor(1);
    await scan();
    await scan();
    await wg.wg('set', wg.name, 'peer', stranger, 'remove');
    expect((await scan()).status).toBe('in_sync');
    const [, resolved] = await receiver.waitFor(2);
    await sleep(300);

    expect(receiver.received).toHaveLength(2);
    const event = verified(detected, subscription.secret) as { type: string; data: Record<string, unknown> };
    expect(event).toMatchObject({
      type: 'drift.detected',
      data: { node_id: node.id, node_name: 'wg-real', summary: expect.objectContaining({ unknown: 1 }) },
    });
    const stored = await panel.as().get(`/api/drift/scans/${event.data.scan_id}`).expect(200);
    expect(stored.body).toMatchObject({ node_id: node.id });
    expect(event.data.url).toBe(`${panel.config.publicUrl}/api/drift/scans/${event.data.scan_id}`);
    expect(verified(resolved, subscription.secret)).toMatchObject({ type: 'drift.resolved' });
    expect(detected.body).not.toContain(agent.secret);
  });
});
