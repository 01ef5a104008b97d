import { ExportLine } from '@wgfleet/protocol';
import { Client } from 'pg';
import { AuditSelfCheck } from '../../src/modules/audit';
import { startPanel, TestPanel } from '../support/panel';
import { createPeers, exportLines, nodeBody, tamper, verifyOffline } from './audit-support';
import { WebhookReceiver } from '../support/webhook-receiver';

describe('audit chain: 1,000 changes, export, tampering in SQL', () => {
  let panel: TestPanel;
  let receiver: WebhookReceiver;
  let intact: ExportLine[];

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    panel = await startPanel({
      AUDIT_SEAL_INTERVAL_MS: '100',
      AUDIT_CHECKPOINT_EVERY: '300',
      DRIFT_SCAN_INTERVAL_S: '86400',
    });
    await panel
      .as()
      .post('/api/webhooks', { url: receiver.url(), events: ['audit.checkpoint', 'audit.broken'] })
      .expect(201);
    const node = (await panel.as().post('/api/nodes', nodeBody('audit-node', '10.178.0.0/22')).expect(201))
      .body;
    await createPeers(panel, node.id, 999);
    intact = await exportLines(panel);
  }, 120_000);

  afterAll(async () => {
    await panel?.close();
    await receiver?.stop();
  });

  it('exports one unbroken, signed chain of every change; events carry seq and hash', async () => {
    const events = intact.filter((line) => line.kind === 'event');
    expect(events.length).toBe(1000);
    expect(events.map((line) => line.kind === 'event' && line.seq)).toEqual(
      Array.from({ length: 1000 }, (_, i) => i + 1),
    );
    expect(verifyOffline(intact)).toMatchObject({ ok: true, events: 1000, headSeq: 1000 });
    expect(JSON.stringify(intact)).not.toMatch(/"v1\./);

    const { body: checkpoints } = await panel.as().get('/api/audit/checkpoints').expect(200);
    expect(checkpoints.items.length).toBeGreaterThanOrEqual(3);
    expect(checkpoints.items.at(-1)).toMatchObject({ seq: 1000, key_id: expect.any(String) });
    const { body: listed } = await panel.as().get('/api/events?limit=2').expect(200);
    expect(listed.items[0]).toMatchObject({ seq: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const sent = await receiver.waitFor(checkpoints.items.length);
    const copies = sent.map((hook) => JSON.parse(hook.body)).filter((b) => b.type === 'audit.checkpoint');
    expect(copies.map((copy) => copy.data.seq)).toEqual(checkpoints.items.map((c: { seq: number }) => c.seq));
  });

  it('names the first bad seq of an edited, a deleted and a reordered row, and the panel alerts each', async () => {
    const selfCheck = panel.app.get(AuditSelfCheck);
    expect(await selfCheck.verify()).toMatchObject({ ok: true, events: 1000 });
    const cases: Array<{ attack: string[]; undo: string[]; seq: number; problem: string }> = [
      {
        attack: [
          `create table edited_event as select * from events where seq = 500`,
          `update events set payload = payload || '{"name":"mallory"}' where seq = 500`,
        ],
        undo: [
          `update events e set payload = o.payload from edited_event o where e.seq = o.seq`,
          `drop table edited_event`,
        ],
        seq: 500,
        problem: 'edited',
      },
      {
        attack: [
          `create table deleted_event as select * from events where seq = 300`,
          `delete from events where seq = 300`,
        ],
        undo: [`insert into events select * from deleted_event`, `drop table deleted_event`],
        seq: 300,
        problem: 'deleted',
      },
      {
        attack: [
          `update events set seq = -1 where seq = 700`,
          `update events set seq = 700 where seq = 701`,
          `update events set seq = 701 where seq = -1`,
        ],
        undo: [
          `update events set seq = -1 where seq = 701`,
          `update events set seq = 701 where seq = 700`,
          `update events set seq = 700 where seq = -1`,
        ],
        seq: 700,
        problem: 'reordered',
      },
    ];
    let alerts = 0;
    for (const { attack, undo, seq, problem } of cases) {
      await tamper(panel.databaseUrl, ...attack);
      expect(verifyOffline(await exportLines(panel))).toMatchObject({ ok: false, seq, problem });
      expect(await selfCheck.verify()).toMatchObject({ ok: false, seq, problem });
      alerts++;
      const broken = (await receiver.waitFor(receiver.received.length + 1))
        .map((hook) => JSON.parse(hook.body))
        .filter((body) => body.type === 'audit.broken');
      expect(broken).toHaveLength(alerts);
      expect(broken.at(-1).data).toMatchObject({ seq, problem });
      await tamper(panel.databaseUrl, ...undo);
      expect(await selfCheck.verify()).toMatchObject({ ok: true });
    }
    expect(panel.logs()).toContain('the audit chain is broken');
  });

  it('names the first missing seq of a log truncated after a checkpoint', async () => {
    await tamper(panel.databaseUrl, `delete from events where seq > 900`);
    expect(verifyOffline(await exportLines(panel))).toMatchObject({
      ok: false,
      seq: 901,
      problem: 'truncated',
    });
    expect(await panel.app.get(AuditSelfCheck).verify()).toMatchObject({ ok: false, seq: 901 });
    const { body: status } = await panel.as().get('/api/audit/status').expect(200);
    expect(status).toMatchObject({ ok: false, events: 900, first_bad_seq: 901, problem: 'truncated' });
  });

  it('refuses a rewrite of history through the database', async () => {
    const client = new Client({ connectionString: panel.databaseUrl });
    await client.connect();
    try {
      await expect(client.query(`update events set payload = '{}' where seq = 1`)).rejects.toThrow(
        /append-only/,
      );
      await expect(client.query(`update events set seq = null where seq = 1`)).rejects.toThrow(/append-only/);
      await expect(client.query(`delete from events where seq = 1`)).rejects.toThrow(/append-only/);
      await expect(client.query(`truncate events cascade`)).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
  });
});
