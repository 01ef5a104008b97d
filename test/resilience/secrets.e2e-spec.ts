/**
 * No secret leaks (issues 2 and 9): after a full run — nodes, peers with preshared keys (generated, given,
 * rotated, removed), tokens, a webhook, scheduled scans, drift, a reconcile — no agent secret, private key,
 * preshared key or token appears in the panel's or the agent's logs, the event log (API and raw table),
 * any API answer (except the ones whose job is to show it once: /config, /qr, token and webhook creation)
 * or any webhook request.
 */
import { Writable } from 'node:stream';
import { Client } from 'pg';
import pino from 'pino';
import { startPanel, TestPanel } from '../support/panel';
import { WebhookReceiver } from '../support/webhook-receiver';
import { randomKey } from '../../agent/test/support/wg-interface';
import { Api, ApiAnswer, expectStatus } from './support/api';
import { allEvents, apiOf, eventually, listAll, NodeRef } from './support/fleet';
import { spellings } from './support/secret-spellings';
import { registerFleet, startWgFleet, WgFleet } from './support/wg-fleet';

interface Recorded {
  method: string;
  path: string;
  answer: ApiAnswer;
}

/** Answers whose purpose is to show a secret once. */
const SHOWS_SECRETS = (record: Recorded) =>
  /\/api\/peers\/[^/]+\/(config|qr)/.test(record.path) ||
  (record.method === 'POST' && /^\/api\/(tokens|webhooks)$/.test(record.path));

describe('no secret leaks after a full run', () => {
  let fleet: WgFleet;
  let receiver: WebhookReceiver;
  let panel: TestPanel;
  let api: Api;
  let agentLog = '';
  const recorded: Recorded[] = [];

  beforeAll(async () => {
    const agentLogStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        agentLog += chunk.toString();
        done();
      },
    });
    fleet = await startWgFleet(2, 'wgrsc', { logger: pino({ level: 'debug' }, agentLogStream) });
    receiver = await WebhookReceiver.start();
    panel = await startPanel({
      DRIFT_SCAN_INTERVAL_S: '1',
      WEBHOOK_FLAP_HOLD_S: '0',
      AGENT_TIMEOUT_MS: '1500',
      LOG_LEVEL: 'debug',
    });
    api = (await apiOf(panel)).observedBy((method, path, answer) => recorded.push({ method, path, answer }));
  });

  afterAll(async () => {
    await panel?.close();
    await receiver?.stop();
    await fleet?.destroy();
  });

  it('finds no secret anywhere it does not belong', async () => {
    const secrets = new Set<string>([
      panel.config.adminToken,
      panel.config.secretKey.toString('base64'),
      fleet.agent.secret,
    ]);
    for (const wg of fleet.interfaces) secrets.add((await wg.wg('show', wg.name, 'private-key')).trim());

    const token = expectStatus(await api.post('/api/tokens', { name: 'ci', role: 'write' }), 201).body.token;
    secrets.add(token);
    const webhook = expectStatus(await api.post('/api/webhooks', { url: receiver.url() }), 201).body;
    secrets.add(webhook.secret);
    secrets.add(webhook.secret.replace(/^whsec_/, ''));
    const nodes: NodeRef[] = await registerFleet(api, fleet, { poolBase: 140 });
    const [nodeA, nodeB] = nodes;

    const givenKey = randomKey();
    secrets.add(givenKey);
    const created: Array<{ id: string; public_key: string }> = [];
    for (const [node, body] of [
      [nodeA, { name: 'generated-psk', generate_preshared_key: true }],
      [nodeA, { name: 'given-psk', preshared_key: givenKey }],
      [nodeA, { name: 'own-key', public_key: randomKey(), generate_preshared_key: true }],
      [nodeA, { name: 'plain' }],
      [nodeB, { name: 'b-psk', generate_preshared_key: true }],
      [nodeB, { name: 'b-plain' }],
    ] as const) {
      created.push(expectStatus(await api.post(`/api/nodes/${node.id}/peers`, body), 201).body);
    }
    const collectConfigSecrets = async () => {
      for (const peer of created) {
        const config = await api.get(`/api/peers/${peer.id}/config`);
        for (const match of config.text.matchAll(/(?:PrivateKey|PresharedKey) = ([A-Za-z0-9+/]{43}=)/g))
          secrets.add(match[1]);
        await api.get(`/api/peers/${peer.id}/qr`);
      }
    };
    await collectConfigSecrets();
    // Rotate, replace and remove preshared keys: the old ones must not surface either.
    const rotatedKey = randomKey();
    secrets.add(rotatedKey);
    expectStatus(await api.patch(`/api/peers/${created[0].id}`, { generate_preshared_key: true }), 200);
    expectStatus(await api.patch(`/api/peers/${created[3].id}`, { preshared_key: rotatedKey }), 200);
    expectStatus(await api.patch(`/api/peers/${created[4].id}`, { preshared_key: null }), 200);
    await collectConfigSecrets();
    // The agent secret is set again (same value), the way an operator would rotate it.
    expectStatus(await api.patch(`/api/nodes/${nodeB.id}`, { agent_secret: fleet.agent.secret }), 200);

    await eventually(
      'every peer to be applied',
      async () => {
        const peers = [
          ...(await listAll<{ sync_status: string }>(api, `/api/nodes/${nodeA.id}/peers`)),
          ...(await listAll<{ sync_status: string }>(api, `/api/nodes/${nodeB.id}/peers`)),
        ];
        return peers.every((peer) => peer.sync_status === 'applied') ? true : undefined;
      },
      30_000,
    );
    // Drift behind the panel's back: a scheduled scan alerts, a reconcile repairs and alerts again.
    const [wgA] = fleet.interfaces;
    await wgA.wg('set', wgA.name, 'peer', created[1].public_key, 'remove');
    await eventually('the drift alert', async () =>
      receiver.received.some((hook) => hook.body.includes('drift.detected')) ? true : undefined,
    );
    const plan = expectStatus(
      await api.post(`/api/drift/nodes/${nodeA.id}/reconcile`, { dry_run: true }),
      200,
    ).body;
    const job = expectStatus(
      await api.post(`/api/drift/nodes/${nodeA.id}/reconcile`, { plan_id: plan.plan_id }),
      202,
    ).body;
    await eventually('the reconcile alert', async () =>
      receiver.received.some((hook) => hook.body.includes('reconcile.succeeded')) ? true : undefined,
    );

    // Read everything there is to read.
    const reads = [
      '/api/nodes',
      `/api/nodes/${nodeA.id}`,
      `/api/nodes/${nodeA.id}/peers`,
      `/api/nodes/${nodeB.id}/peers`,
      `/api/peers/${created[0].id}`,
      '/api/events?limit=1000',
      '/api/drift/nodes',
      `/api/drift/nodes/${nodeA.id}`,
      `/api/drift/nodes/${nodeA.id}/history`,
      `/api/reconcile/jobs/${job.job_id}`,
      '/api/tokens',
      '/api/webhooks',
      `/api/webhooks/${webhook.id}`,
      `/api/webhooks/${webhook.id}/deliveries`,
      '/metrics',
      '/health',
    ];
    for (const path of reads) await api.get(path);
    const scan = (await api.get(`/api/drift/nodes/${nodeA.id}/history`)).body.items[0];
    await api.get(`/api/drift/scans/${scan.id}`);

    const db = new Client({ connectionString: panel.databaseUrl });
    await db.connect();
    const rawEvents = (
      await db.query<{ text: string }>('select payload::text || metadata::text as text from events')
    ).rows
      .map((row) => row.text)
      .join('\n');
    await db.end();

    const corpora: Record<string, string> = {
      'panel logs': panel.logs(),
      'agent logs': agentLog,
      'event log (API)': JSON.stringify(await allEvents(api)),
      'event log (table)': rawEvents,
      'webhook requests': JSON.stringify(
        receiver.received.map((hook) => ({ path: hook.path, headers: hook.headers, body: hook.body })),
      ),
      ...Object.fromEntries(
        recorded
          .filter((record) => !SHOWS_SECRETS(record))
          .map((record, i) => [`answer ${i}: ${record.method} ${record.path}`, record.answer.text]),
      ),
    };
    expect(panel.logs().length).toBeGreaterThan(1000);
    expect(receiver.received.length).toBeGreaterThanOrEqual(2);
    const leaks: string[] = [];
    for (const secret of secrets) {
      for (const form of spellings(secret)) {
        for (const [where, text] of Object.entries(corpora)) {
          const at = text.indexOf(form);
          if (at >= 0)
            leaks.push(`${where} contains a secret: …${text.slice(Math.max(0, at - 80), at)}[secret]…`);
        }
      }
    }
    expect(leaks).toEqual([]);
    // The run did exercise every kind of secret, and the search finds them where they belong.
    expect(secrets.size).toBeGreaterThanOrEqual(15);
    const shown = recorded
      .filter(SHOWS_SECRETS)
      .map((record) => record.answer.text)
      .join('\n');
    expect([...secrets].filter((secret) => shown.includes(secret)).length).toBeGreaterThanOrEqual(8);
  }, 120_000);
});
