import { randomKey } from '../../agent/test/support/wg-interface';
import { createFleetNode, FleetNode, peersSynced, registerWith } from '../reconcile-fixture';
import { ADMIN_TOKEN, startPanel, TestPanel } from '../support/panel';
import { bundleCli, CliSession, cliSession, panelUrl } from './support/cli-process';

jest.setTimeout(180000);

/** `plan` and `drift` on one node: the same values in their one wording each, and what a plan leaves alone. */
describe('wgfleet plan and drift agree on a node with an unknown peer', () => {
  let panel: TestPanel;
  let node: FleetNode;
  let cli: CliSession;
  let alice: { id: string; public_key: string };

  beforeAll(async () => {
    await bundleCli();
    panel = await startPanel({ DRIFT_SCAN_INTERVAL_S: '3600', APPLY_DEBOUNCE_MS: '50' });
    cli = await cliSession({ WGFLEET_URL: panelUrl(panel), WGFLEET_TOKEN: ADMIN_TOKEN });
    node = await createFleetNode(registerWith(panel), { prefix: 'xcp' });
    const added = await cli.run(['peers', 'add', node.name, 'alice', '--keepalive', '25', '-o', 'json']);
    expect(added).toMatchObject({ code: 0 });
    alice = JSON.parse(added.stdout) as typeof alice;
    await peersSynced(panel, [alice.id]);
  });

  afterAll(async () => {
    await node?.destroy();
    await panel?.close();
    await cli?.cleanup();
  });

  const wgSet = (...args: string[]) => node.wg.wg('set', node.wg.name, ...args);

  it('plan --exit-code follows the plan: 0 while it only keeps the unknown peer, and says so', async () => {
    const stranger = randomKey();
    await wgSet('peer', stranger, 'allowed-ips', '10.176.9.9/32');

    const drift = await cli.run(['drift', node.name, '--exit-code']);
    expect(drift.code).toBe(2);
    expect(drift.stdout).toMatch(/unknown\s+-\s+/);

    const plan = await cli.run(['plan', node.name, '--exit-code']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('nothing to change; 1 unknown peer kept: adopt it or --remove-unknown');
    expect(plan.stdout).not.toContain('the node matches the panel');

    const json = await cli.run(['plan', node.name, '-o', 'json']);
    expect(JSON.parse(json.stdout).plan).toMatchObject({
      remove: [],
      kept: [{ public_key: stranger, reason: 'unknown', peer_id: null }],
    });

    const removing = await cli.run(['plan', node.name, '--exit-code', '--remove-unknown']);
    expect(removing.code).toBe(2);
    expect(removing.stdout).toMatch(/- remove\s+-\s+\S+\s+unknown/);
    expect(removing.stdout).not.toContain('kept');

    await wgSet('peer', stranger, 'remove');
    expect(await cli.run(['drift', node.name, '--exit-code'])).toMatchObject({ code: 0 });
    const clean = await cli.run(['plan', node.name, '--exit-code']);
    expect(clean).toMatchObject({ code: 0 });
    expect(clean.stdout).toContain('nothing to do, the node matches the panel');
  });

  it('drift reads expected (panel) → actual (node), a plan now → after, each labelled', async () => {
    await wgSet('peer', alice.public_key, 'persistent-keepalive', '7');

    const drift = await cli.run(['drift', node.name]);
    expect(drift.stdout).toContain('DETAIL: expected (panel) → actual (node)');
    expect(drift.stdout).toContain('persistent_keepalive: 25 → 7');

    const plan = await cli.run(['plan', node.name, '--exit-code']);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('DETAIL: now → after');
    expect(plan.stdout).toContain('persistent_keepalive: 7 → 25');

    const json = await cli.run(['plan', node.name, '-o', 'json']);
    expect(JSON.parse(json.stdout).plan.update[0].changes).toEqual([
      { field: 'persistent_keepalive', from: 7, to: 25, expected: 25, actual: 7 },
    ]);
  });
});
