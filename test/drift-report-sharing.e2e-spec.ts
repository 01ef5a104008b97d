/**
 * A scan that finds what the node's previous scan found stores a small row sharing the report stored then;
 * every answer is the same as if each scan had its own report, and retention never drops a shared report
 * a kept scan still refers to.
 */
import { Client } from 'pg';
import type { NodeDriftReport } from '../src/modules/drift/domain/drift-report';
import { DriftRetention } from '../src/modules/drift/drift-retention.service';
import { dropDatabase, startPanel, testDatabaseUrl, type TestPanel } from './support/panel';

describe('drift reports shared by unchanged scans', () => {
  const databaseUrl = testDatabaseUrl();
  let panel: TestPanel;
  let db: Client;
  let nodeId: string;
  /** Each live read's answer, by the id of the scan it stored. */
  const answers = new Map<string, NodeDriftReport>();

  const liveRead = async (): Promise<NodeDriftReport> => {
    const report = (await panel.as().get(`/api/drift/nodes/${nodeId}`).expect(200)).body as NodeDriftReport;
    const history = (await panel.as().get(`/api/drift/nodes/${nodeId}/history?limit=1`).expect(200)).body;
    answers.set(history.items[0].id, report);
    return report;
  };
  const rename = async (name: string) => {
    await panel.as().patch(`/api/nodes/${nodeId}`, { name }).expect(200);
  };
  const stored = async () =>
    (
      await db.query<{ id: string; report_id: string }>(
        'select id, report_id from drift_scans where node_id = $1 order by checked_at, id',
        [nodeId],
      )
    ).rows;
  const reportIds = async () =>
    (await db.query<{ id: string }>('select id from drift_reports order by id')).rows.map((row) => row.id);

  /**
   * Every stored scan's detail answers the report its live read answered, with the scan's own time (which this
   * test moves back to age the history: the live answer's time, until then).
   */
  const expectDetailsAnswerAsLive = async (aged: boolean) => {
    for (const scan of await stored()) {
      const detail = (await panel.as().get(`/api/drift/scans/${scan.id}`).expect(200)).body;
      const answer = answers.get(scan.id)!;
      expect(detail.report).toEqual({ ...answer, checked_at: detail.checked_at });
      if (!aged) expect(detail.checked_at).toBe(answer.checked_at);
    }
  };

  beforeAll(async () => {
    panel = await startPanel({
      DATABASE_URL: databaseUrl,
      DRIFT_SCAN_INTERVAL_S: '86400',
      AGENT_TIMEOUT_MS: '1000',
    });
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    // No agent answers: every scan finds the same "unknown", until the node's name changes.
    nodeId = (
      await panel
        .as()
        .post('/api/nodes', {
          name: 'gone-1',
          agent_url: 'http://127.0.0.1:9',
          interface: 'wg0',
          endpoint: 'vpn.example.com',
          address_pool: '10.91.0.0/24',
          agent_secret: 'z'.repeat(40),
        })
        .expect(201)
    ).body.id;
  }, 60000);

  afterAll(async () => {
    await db?.end();
    await panel?.close();
    await dropDatabase(databaseUrl);
  });

  it('stores a report once per change of findings and answers every scan with its own time', async () => {
    const first = await liveRead();
    const second = await liveRead();
    expect(second.checked_at).not.toBe(first.checked_at);
    await rename('gone-2');
    await liveRead();
    await liveRead();

    const scans = await stored();
    expect(scans).toHaveLength(4);
    expect(new Set(scans.map((scan) => scan.report_id)).size).toBe(2);
    expect(scans[1].report_id).toBe(scans[0].report_id);
    expect(scans[3].report_id).toBe(scans[2].report_id);
    expect(await reportIds()).toHaveLength(2);
    await expectDetailsAnswerAsLive(false);
  });

  it('keeps a shared report while a kept scan refers to it, and drops it after', async () => {
    const [firstScan, , changedScan, latestScan] = await stored();
    await db.query(`update drift_scans set checked_at = checked_at - interval '400 days'`);
    // The first scan (a status change) and the latest stay; the scan that stored the latest's report goes.
    await panel.app.get(DriftRetention).prune();
    expect((await stored()).map((scan) => scan.id)).toEqual([firstScan.id, latestScan.id]);
    expect(await reportIds()).toEqual([firstScan.report_id, changedScan.report_id].sort());
    await expectDetailsAnswerAsLive(true);

    await rename('gone-3');
    await liveRead();
    await db.query(`update drift_scans set checked_at = checked_at - interval '400 days'`);
    const result = await panel.app.get(DriftRetention).prune();
    expect(result).toMatchObject({ scans: 1, reports: 1 });
    expect(await reportIds()).not.toContain(changedScan.report_id);
    await expectDetailsAnswerAsLive(true);
  });
});
