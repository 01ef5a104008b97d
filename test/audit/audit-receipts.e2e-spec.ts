import { ExportLine } from '@wgfleet/protocol';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgentInProcess, type RunningAgent } from '../../agent/test/support/agent-process';
import {
  createWgInterface,
  uniqueInterfaceName,
  waitUntil,
  type WgInterface,
} from '../../agent/test/support/wg-interface';
import { AgentClient } from '../../src/modules/agent-client';
import { ADMIN_TOKEN, startPanel, TestPanel } from '../support/panel';
import { bundleCli, cliSession, CliSession, panelUrl } from '../cli/support/cli-process';
import { startPassThroughProxy } from '../support/pass-through-proxy';
import { exportLines, tamper, verifyOffline } from './audit-support';

jest.setTimeout(120_000);

type EventLine = Extract<ExportLine, { kind: 'event' }>;

/** Polls gently: each export seals and signs first. */
const eventually = (check: () => Promise<boolean>) =>
  waitUntil(
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 250));
      return check();
    },
    20_000,
    'not within 20 s',
  );

/** Node receipts end to end: a real agent on wireguard-go signs, the panel pins, checks and chains. */
describe('node receipts: pinned at registration, checked on every sync, verified offline', () => {
  let panel: TestPanel;
  let cli: CliSession;
  let wg: WgInterface;
  let agent: RunningAgent;
  let dir: string;
  let nodeId: string;

  const startAgent = (keyFile: string) =>
    startAgentInProcess({ interfaces: [wg.name], secret: agent?.secret, receiptKeyFile: join(dir, keyFile) });
  const receiptKeyOf = (running: RunningAgent) =>
    new AgentClient({ baseUrl: running.url, secret: running.secret, interfaceName: wg.name }).receiptKey();
  const receiptEvents = async (): Promise<EventLine[]> =>
    (await exportLines(panel)).filter(
      (line): line is EventLine => line.kind === 'event' && line.type === 'node.receipt_recorded',
    );
  const createPeer = (name: string) => panel.as().post(`/api/nodes/${nodeId}/peers`, { name }).expect(201);

  beforeAll(async () => {
    await bundleCli();
    dir = await mkdtemp(join(tmpdir(), 'xrc-'));
    wg = await createWgInterface(uniqueInterfaceName('xrc'));
    agent = await startAgent('receipt.key');
    // An enrollment claim may reach the loopback agent only when AGENT_URL_ALLOW says so.
    panel = await startPanel({
      AUDIT_SEAL_INTERVAL_MS: '100',
      DRIFT_SCAN_INTERVAL_S: '86400',
      AGENT_URL_ALLOW: '127.0.0.0/8',
    });
    cli = await cliSession({ WGFLEET_URL: panelUrl(panel), WGFLEET_TOKEN: ADMIN_TOKEN });
  });

  afterAll(async () => {
    await cli?.cleanup();
    await panel?.close();
    await agent?.stop();
    await wg?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('pins the key, records each sync receipt as a chained event, and the export verifies offline', async () => {
    const { body: node } = await panel
      .as()
      .post('/api/nodes', {
        name: 'xrc-node',
        agent_url: agent.url,
        interface: wg.name,
        endpoint: 'vpn.example.com',
        address_pool: '10.185.1.0/24',
        agent_secret: agent.secret,
      })
      .expect(201);
    nodeId = node.id;
    expect(node.receipt_key).toBe(await receiptKeyOf(agent));

    await createPeer('xrc-a');
    await createPeer('xrc-b');
    await eventually(async () => (await wg.wg('show', wg.name, 'peers')).trim().split('\n').length === 2);
    await eventually(async () => (await receiptEvents()).length >= 1);
    const lines = await exportLines(panel);
    const receipts = lines.filter(
      (line): line is EventLine => line.kind === 'event' && line.type === 'node.receipt_recorded',
    );
    expect(receipts[0]).toMatchObject({
      aggregate_type: 'node_receipt',
      payload: {
        node_id: nodeId,
        receipt: { interface: wg.name, plan_hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      },
    });
    expect(verifyOffline(lines)).toMatchObject({ ok: true });

    const path = join(dir, 'intact.ndjson');
    await writeFile(path, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
    expect(await cli.run(['audit', 'verify', path])).toMatchObject({ code: 0 });

    // A receipt edited in the database, with the trigger off, is named by its seq.
    const seq = receipts[0].seq;
    const digest = `"${'e'.repeat(64)}"`;
    await tamper(
      panel.databaseUrl,
      `create table edited_receipt as select * from events where seq = ${seq}`,
      `update events set payload = jsonb_set(payload, '{receipt,state_digest}', '${digest}') where seq = ${seq}`,
    );
    const edited = join(dir, 'edited.ndjson');
    const exported = await cli.run(['audit', 'export']);
    await writeFile(edited, exported.stdout);
    expect(await cli.run(['audit', 'verify', edited])).toMatchObject({
      code: 2,
      stdout: expect.stringMatching(new RegExp(`^broken at seq ${seq}: edited`)),
    });
    await tamper(
      panel.databaseUrl,
      `update events e set payload = o.payload from edited_receipt o where e.seq = o.seq`,
      `drop table edited_receipt`,
    );
  });

  it("records the receipt of a reconcile job's syncconf", async () => {
    const before = (await receiptEvents()).length;
    const { body: peers } = await panel.as().get(`/api/nodes/${nodeId}/peers`).expect(200);
    await wg.wg('set', wg.name, 'peer', peers.items[0].public_key, 'remove');
    const { body: queued } = await panel
      .as()
      .post(`/api/drift/nodes/${nodeId}/reconcile`, { mode: 'syncconf' })
      .expect(202);
    await eventually(
      async () =>
        (await panel.as().get(`/api/reconcile/jobs/${queued.job_id}`).expect(200)).body.status ===
        'succeeded',
    );
    const receipts = await receiptEvents();
    expect(receipts.length).toBe(before + 1);
    expect(receipts.at(-1)!.payload).toMatchObject({ node_id: nodeId, receipt: { interface: wg.name } });
  });

  it('refuses the receipt of an agent whose key was swapped, until the operator refreshes the pin', async () => {
    const before = (await receiptEvents()).length;
    const { body: pinned } = await panel.as().get(`/api/nodes/${nodeId}`).expect(200);
    await agent.stop();
    agent = await startAgent('swapped.key');
    expect(await receiptKeyOf(agent)).not.toBe(pinned.receipt_key);
    await panel.as().patch(`/api/nodes/${nodeId}`, { agent_url: agent.url }).expect(200);

    const { body: forged } = await createPeer('xrc-forged');
    await eventually(async () => panel.logs().includes('receipt_invalid'));
    expect(panel.logs()).toMatch(/unverified apply/);
    // Failed once, with the reason on the peer, and not sent again and again.
    const unverified = async () => (await panel.as().get(`/api/peers/${forged.id}`).expect(200)).body;
    await eventually(async () => (await unverified()).sync_status === 'failed');
    expect((await unverified()).sync_error).toMatch(/unverified/);
    expect((await receiptEvents()).length).toBe(before);
    const { body: still } = await panel.as().get(`/api/nodes/${nodeId}`).expect(200);
    expect(still.receipt_key).toBe(pinned.receipt_key);

    const { body: refreshed } = await panel
      .as()
      .post(`/api/nodes/${nodeId}/receipt-key/refresh`, {})
      .expect(200);
    expect(refreshed.receipt_key).toBe(await receiptKeyOf(agent));
    await createPeer('xrc-after-refresh');
    await eventually(async () => (await receiptEvents()).length > before);
    expect(verifyOffline(await exportLines(panel))).toMatchObject({ ok: true });
  });

  it('keeps the pin when the agent answers everything but the receipt key', async () => {
    const { body: pinned } = await panel.as().get(`/api/nodes/${nodeId}`).expect(200);
    // In front of the agent: every request passes but the receipt key's, whose connection is dropped.
    const proxy = await startPassThroughProxy(agent.url, { drop: (path) => path === '/v1/receipt-key' });
    try {
      await panel.as().patch(`/api/nodes/${nodeId}`, { agent_url: proxy.url }).expect(200);
      const { body: refused } = await panel
        .as()
        .post(`/api/nodes/${nodeId}/receipt-key/refresh`, {})
        .expect(502);
      expect(refused.error.code).toBe('agent_not_verified');
      const { body: still } = await panel.as().get(`/api/nodes/${nodeId}`).expect(200);
      expect(still.receipt_key).toBe(pinned.receipt_key);
    } finally {
      await panel.as().patch(`/api/nodes/${nodeId}`, { agent_url: agent.url }).expect(200);
      await proxy.close();
    }
  });

  it('pins the key of a node that registers itself with an enrollment token', async () => {
    const { body: enrollment } = await panel
      .as()
      .post('/api/enrollments', {
        node: {
          name: 'xrc-enrolled',
          interface: wg.name,
          endpoint: 'vpn.example.com',
          address_pool: '10.185.2.0/24',
        },
      })
      .expect(201);
    const { body: claimed } = await panel
      .http()
      .post('/api/enrollments/claim')
      .send({ token: enrollment.token, agent_url: agent.url, agent_secret: agent.secret })
      .expect(201);
    expect(claimed.receipt_key).toBe(await receiptKeyOf(agent));
  });
});
