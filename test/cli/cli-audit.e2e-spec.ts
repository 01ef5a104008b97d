import { newSigningKeyPair } from '@wgfleet/protocol';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPeers, nodeBody, tamper } from '../audit/audit-support';
import { ADMIN_TOKEN, startPanel, TestPanel } from '../support/panel';
import { bundleCli, cliSession, CliSession, panelUrl } from './support/cli-process';

describe('wgfleet audit export / verify', () => {
  let panel: TestPanel;
  let cli: CliSession;
  let dir: string;

  beforeAll(async () => {
    await bundleCli();
    panel = await startPanel({ AUDIT_SEAL_INTERVAL_MS: '100', DRIFT_SCAN_INTERVAL_S: '86400' });
    cli = await cliSession({ WGFLEET_URL: panelUrl(panel), WGFLEET_TOKEN: ADMIN_TOKEN });
    dir = await mkdtemp(join(tmpdir(), 'xau-'));
    const node = (await panel.as().post('/api/nodes', nodeBody('audit-cli', '10.178.16.0/24')).expect(201))
      .body;
    await createPeers(panel, node.id, 40, 10);
  }, 60_000);

  afterAll(async () => {
    await cli?.cleanup();
    await panel?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function exportTo(name: string): Promise<string> {
    const result = await cli.run(['audit', 'export']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const path = join(dir, name);
    await writeFile(path, result.stdout);
    return path;
  }

  it('verifies an intact export offline, with kept checkpoints and a pinned key, and names the first bad seq', async () => {
    const intact = await exportTo('intact.ndjson');
    expect(await cli.run(['audit', 'verify', intact])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^intact: 41 events, head seq 41 /),
    });

    const { body: keys } = await panel.as().get('/api/audit/keys').expect(200);
    const { body: checkpoints } = await panel.as().get('/api/audit/checkpoints').expect(200);
    const kept = join(dir, 'kept.json');
    await writeFile(kept, JSON.stringify(checkpoints));
    const pinned = ['--checkpoints', kept, '--panel-key', keys.items[0].public_key];
    expect(await cli.run(['audit', 'verify', intact, ...pinned])).toMatchObject({ code: 0 });
    const stranger = newSigningKeyPair().publicKey;
    expect(await cli.run(['audit', 'verify', intact, '--panel-key', stranger])).toMatchObject({
      code: 2,
      stdout: expect.stringMatching(/^broken at seq \d+: unknown_key/),
    });

    // Truncated with the panel's own checkpoints: only the copies kept elsewhere still show it.
    await tamper(panel.databaseUrl, `delete from audit_checkpoints`, `delete from events where seq > 30`);
    const truncated = await exportTo('truncated.ndjson');
    expect(await cli.run(['audit', 'verify', truncated])).toMatchObject({ code: 0 });
    expect(await cli.run(['audit', 'verify', truncated, ...pinned])).toMatchObject({
      code: 2,
      stdout: expect.stringMatching(/^broken at seq 31: truncated/),
    });

    await tamper(
      panel.databaseUrl,
      `update events set payload = payload || '{"name":"mallory"}' where seq = 17`,
    );
    const edited = await exportTo('edited.ndjson');
    expect(await cli.run(['audit', 'verify', edited])).toMatchObject({
      code: 2,
      stdout: expect.stringMatching(/^broken at seq 17: edited/),
    });
    const json = await cli.run(['audit', 'verify', edited, '-o', 'json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, seq: 17, problem: 'edited' });
  });

  it('exits 1 on a file it cannot read or that is no export', async () => {
    expect(await cli.run(['audit', 'verify', join(dir, 'missing.ndjson')])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('cannot read'),
    });
    const garbage = join(dir, 'garbage.ndjson');
    await writeFile(garbage, 'hello\n');
    expect(await cli.run(['audit', 'verify', garbage])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('line 1 is not JSON'),
    });
  });
});
