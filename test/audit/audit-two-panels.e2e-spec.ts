import { Client } from 'pg';
import { AuditCheckpoints } from '../../src/modules/audit';
import { startPanel, TestPanel } from '../support/panel';
import { createPeers, exportLines, nodeBody, verifyOffline } from './audit-support';

describe('audit chain: two panels appending and sealing at once', () => {
  let first: TestPanel;
  let second: TestPanel;

  beforeAll(async () => {
    const env = {
      AUDIT_SEAL_INTERVAL_MS: '20',
      AUDIT_CHECKPOINT_EVERY: '50',
      DRIFT_SCAN_INTERVAL_S: '86400',
    };
    first = await startPanel(env);
    second = await startPanel({ ...env, DATABASE_URL: first.databaseUrl });
  }, 60_000);

  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('makes one unbroken chain of every event, whichever panel wrote or sealed it', async () => {
    const nodes = await Promise.all(
      [first, second].map(
        async (panel, i) =>
          (
            await panel
              .as()
              .post('/api/nodes', nodeBody(`audit-${i}`, `10.178.${8 + i * 4}.0/22`))
              .expect(201)
          ).body,
      ),
    );
    // Each panel creates peers on both nodes, so their batches interleave and contend for the same locks.
    await Promise.all([
      createPeers(first, nodes[0].id, 200, 25, 'a'),
      createPeers(second, nodes[1].id, 200, 25, 'b'),
      createPeers(first, nodes[1].id, 100, 25, 'c'),
      createPeers(second, nodes[0].id, 100, 25, 'd'),
    ]);

    const lines = await exportLines(second);
    const client = new Client({ connectionString: first.databaseUrl });
    await client.connect();
    const {
      rows: [counts],
    } = await client
      .query(`select count(*)::int as events, count(seq)::int as sealed, max(seq)::int as head from events`)
      .finally(() => client.end());
    expect(counts).toEqual({ events: 602, sealed: 602, head: 602 });
    expect(verifyOffline(lines)).toMatchObject({ ok: true, events: 602, headSeq: 602 });
    const checkpoints = lines.filter((line) => line.kind === 'checkpoint');
    expect(new Set(checkpoints.map((line) => line.kind === 'checkpoint' && line.seq)).size).toBe(
      checkpoints.length,
    );
  });

  it('keeps verifying checkpoints of a retired key after a rotation', async () => {
    const oldKey = (await first.as().get('/api/audit/keys').expect(200)).body.items[0];
    const newKeyId = await first.app.get(AuditCheckpoints).rotateKey();
    const node = (
      await second.as().post('/api/nodes', nodeBody('audit-rotated', '10.178.20.0/24')).expect(201)
    ).body;
    await createPeers(second, node.id, 10);
    const lines = await exportLines(first);
    const { body: keys } = await second.as().get('/api/audit/keys').expect(200);
    expect(keys.items).toEqual([
      { ...oldKey, retired_at: expect.any(String) },
      expect.objectContaining({ key_id: newKeyId, retired_at: null }),
    ]);
    expect(JSON.stringify(keys)).not.toMatch(/private/);
    const signers = new Set(lines.map((line) => line.kind === 'checkpoint' && line.key_id).filter(Boolean));
    expect(signers).toEqual(new Set([oldKey.key_id, newKeyId]));
    const pinned = keys.items.map((key: { public_key: string }) => key.public_key);
    expect(verifyOffline(lines, pinned)).toMatchObject({ ok: true, events: 613 });
    expect(verifyOffline(lines, [pinned[1]])).toMatchObject({ ok: false, problem: 'unknown_key' });
  });
});
