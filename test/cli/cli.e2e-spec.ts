import { randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { run } from '../../agent/test/support/wg-interface';
import { createFleetNode, eventually, FleetNode, peersSynced, registerWith } from '../reconcile-fixture';
import { ADMIN_TOKEN, startPanel, TestPanel } from '../support/panel';
import { bundleCli, CLI_BUNDLE, CliSession, cliSession, panelUrl } from './support/cli-process';

jest.setTimeout(180000);

/** A port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface PeerJson {
  id: string;
  name: string;
  public_key: string;
  has_private_key: boolean;
  persistent_keepalive: number | null;
}

describe('the wgfleet command against a real panel and agents on wireguard-go', () => {
  let panel: TestPanel;
  let node: FleetNode;
  let cli: CliSession;
  let alice: PeerJson;
  let bob: PeerJson;

  beforeAll(async () => {
    await bundleCli();
    panel = await startPanel({ DRIFT_SCAN_INTERVAL_S: '3600', APPLY_DEBOUNCE_MS: '50' });
    cli = await cliSession({ WGFLEET_URL: panelUrl(panel), WGFLEET_TOKEN: ADMIN_TOKEN });
    node = await createFleetNode(registerWith(panel), { prefix: 'wgcl' });
    const add = async (name: string, ...extra: string[]) => {
      const result = await cli.run(['peers', 'add', node.name, name, '-o', 'json', ...extra]);
      expect(result).toMatchObject({ code: 0 });
      return JSON.parse(result.stdout) as PeerJson;
    };
    alice = await add('alice', '--keepalive', '25');
    bob = await add('bob', '--preshared-key');
    await peersSynced(panel, [alice.id, bob.id]);
  });

  afterAll(async () => {
    await node?.destroy();
    await panel?.close();
    await cli?.cleanup();
  });

  const wgSet = (...args: string[]) => node.wg.wg('set', node.wg.name, ...args);

  it('drift --exit-code: 0 in sync, 2 after a change made by hand on the node, 3 when the agent is down', async () => {
    expect(await cli.run(['drift', node.name, '--exit-code'])).toMatchObject({ code: 0 });

    await wgSet('peer', alice.public_key, 'persistent-keepalive', '30');
    const drifted = await cli.run(['drift', node.name, '--exit-code']);
    expect(drifted.code).toBe(2);
    expect(drifted.stdout).toMatch(/mismatched\s+alice/);
    expect(drifted.stdout).toContain('persistent_keepalive: 25 → 30');

    const fleet = await cli.run(['drift', '--exit-code', '-o', 'json']);
    expect(fleet.code).toBe(2);
    expect(JSON.parse(fleet.stdout)).toMatchObject({ summary: { drift: 1 } });
    // Without --exit-code the drift is reported, not signalled.
    expect(await cli.run(['drift', node.name])).toMatchObject({ code: 0 });

    await node.stopAgent();
    try {
      const unknown = await cli.run(['drift', '--exit-code']);
      expect(unknown.code).toBe(3);
      expect(unknown.stdout).toMatch(/unknown/);
    } finally {
      await node.startAgent();
    }
  });

  it('plan -o saves a plan that apply --plan applies exactly; drift is 0 afterwards', async () => {
    await wgSet('peer', alice.public_key, 'persistent-keepalive', '30');
    await wgSet('peer', bob.public_key, 'remove');
    const planPath = join(cli.env.HOME, 'plan.json');

    const plan = await cli.run(['plan', node.name, '-o', planPath]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/\+ add\s+bob/);
    expect(plan.stdout).toMatch(/~ update\s+alice/);
    const saved = JSON.parse(await readFile(planPath, 'utf8'));
    expect(saved).toMatchObject({
      format: 'wgfleet-plan/v1',
      node_id: node.id,
      plan: { add: [{ name: 'bob' }] },
    });

    const apply = await cli.run(['apply', node.name, '--plan', planPath]);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('succeeded');
    expect(apply.stdout).toContain('added 1, updated 1, removed 0, errors 0, verified yes');

    expect(await cli.run(['drift', node.name, '--exit-code'])).toMatchObject({ code: 0 });
  });

  it('apply exits 4 with advice when the node moved after the plan was made', async () => {
    await wgSet('peer', alice.public_key, 'persistent-keepalive', '30');
    const planPath = join(cli.env.HOME, 'stale-plan.json');
    expect(await cli.run(['plan', node.name, '-o', planPath])).toMatchObject({ code: 0 });
    await wgSet('peer', alice.public_key, 'persistent-keepalive', '31');

    const stale = await cli.run(['apply', node.name, '--plan', planPath]);
    expect(stale.code).toBe(4);
    expect(stale.stderr).toContain('the plan is stale');
    expect(stale.stderr).toContain(`wgfleet plan ${node.name}`);

    const auto = await cli.run(['apply', node.name, '--auto-approve']);
    expect(auto.code).toBe(0);
    expect(auto.stdout).toMatch(/~ update\s+alice/);
    expect(await cli.run(['drift', node.name, '--exit-code'])).toMatchObject({ code: 0 });

    const nothing = await cli.run(['apply', node.name, '--auto-approve']);
    expect(nothing).toMatchObject({ code: 0 });
    expect(nothing.stdout).toContain('nothing to do');
    expect(nothing.stdout).not.toContain('job');
  });

  it('apply --no-wait hands back the job; jobs wait and jobs show follow it', async () => {
    await wgSet('peer', alice.public_key, 'persistent-keepalive', '29');
    const queued = await cli.run(['apply', node.name, '--auto-approve', '--no-wait', '-o', 'json']);
    expect(queued.code).toBe(0);
    const { job_id: jobId } = JSON.parse(queued.stdout) as { job_id: string };

    const waited = await cli.run(['jobs', 'wait', jobId, '--timeout', '60']);
    expect(waited.code).toBe(0);
    expect(waited.stdout).toContain(`job ${jobId}: succeeded`);
    expect(waited.stderr).toContain(`job ${jobId}:`);
    const shown = JSON.parse((await cli.run(['jobs', 'show', jobId, '-o', 'json'])).stdout);
    expect(shown).toMatchObject({
      id: jobId,
      status: 'succeeded',
      result: { updated: ['alice'], errors: [] },
    });
  });

  it("a read token's apply is refused with the role it needs and exit 1", async () => {
    const { body: token } = await panel
      .as()
      .post('/api/tokens', { name: 'wgcl-read', role: 'read' })
      .expect(201);
    const asReader = { WGFLEET_TOKEN: token.token as string };
    expect(await cli.run(['drift', node.name, '--exit-code'], { env: asReader })).toMatchObject({ code: 0 });

    const refused = await cli.run(['apply', node.name, '--auto-approve'], { env: asReader });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('this needs a token of role write; yours is read');
    expect(refused.stderr).toContain('HTTP 403');
    expect(refused.stderr).toContain('wgfleet tokens create');
  });

  it('explains an unreachable panel, a bad token and a bad field', async () => {
    const closedUrl = `http://127.0.0.1:${await closedPort()}`;
    const unreachable = await cli.run(['nodes', 'ls'], { env: { WGFLEET_URL: closedUrl } });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain(`cannot reach the panel at ${closedUrl}`);
    expect(unreachable.stderr).toContain('ECONNREFUSED');

    const badToken = await cli.run(['nodes', 'ls'], { env: { WGFLEET_TOKEN: 'not-a-token' } });
    expect(badToken.code).toBe(1);
    expect(badToken.stderr).toContain('HTTP 401');
    expect(badToken.stderr).toContain('wgfleet login');

    const badField = await cli.run(['peers', 'add', node.name, 'carol', '--allowed-ips', 'not-a-cidr']);
    expect(badField.code).toBe(1);
    expect(badField.stderr).toMatch(/HTTP 400[\s\S]*allowed_ips/);
  });

  it('login saves a context in a 0600 file that --context selects', async () => {
    const login = await cli.run(['login', panelUrl(panel), '--name', 'lab', '--token-stdin'], {
      env: { WGFLEET_URL: undefined, WGFLEET_TOKEN: undefined },
      stdin: ADMIN_TOKEN + '\n',
    });
    expect(login.code).toBe(0);
    expect((await stat(cli.configPath)).mode & 0o777).toBe(0o600);

    const noEnv = { WGFLEET_URL: undefined, WGFLEET_TOKEN: undefined };
    const listed = await cli.run(['--context', 'lab', 'nodes', 'ls', '-o', 'json'], { env: noEnv });
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).map((n: { name: string }) => n.name)).toContain(node.name);
    // --context names the context login saves, as it names the one other commands use.
    const second = await cli.run(['login', panelUrl(panel), '--context', 'lab2', '--token-stdin'], {
      env: noEnv,
      stdin: ADMIN_TOKEN,
    });
    expect(second).toMatchObject({ code: 0 });
    const contexts = JSON.parse((await cli.run(['context', 'ls', '-o', 'json'], { env: noEnv })).stdout);
    expect(contexts).toEqual([
      { name: 'lab', url: panelUrl(panel), current: false },
      { name: 'lab2', url: panelUrl(panel), current: true },
    ]);
    const missing = await cli.run(['--context', 'nope', 'nodes', 'ls'], { env: noEnv });
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.stderr).toContain('no context "nope"');
  });

  it('export → edit → diff → sync round trip, keys made by the panel, deletions only with --prune', async () => {
    const exported = await cli.run(['export']);
    expect(exported.code).toBe(0);
    expect(exported.stdout).not.toMatch(/private|preshared_key:|PrivateKey/i);
    const fleetPath = join(cli.env.HOME, 'fleet.yaml');
    await writeFile(fleetPath, exported.stdout);
    expect(await cli.run(['diff', '-f', fleetPath])).toMatchObject({ code: 0 });

    const document = parse(exported.stdout);
    const mine = document.nodes.find((n: { name: string }) => n.name === node.name);
    mine.overrides.keepalive = 21;
    mine.peers = mine.peers.filter((p: { name: string }) => p.name !== 'bob');
    mine.peers.find((p: { name: string }) => p.name === 'alice').persistent_keepalive = 15;
    mine.peers.push({ name: 'carol' });
    await writeFile(fleetPath, stringify(document));

    const diff = await cli.run(['diff', '-f', fleetPath]);
    expect(diff.code).toBe(2);
    expect(diff.stdout).toContain(`~ update node ${node.name}`);
    expect(diff.stdout).toContain('override_keepalive: null → 21');
    expect(diff.stdout).toContain(`~ update peer ${node.name}/alice`);
    expect(diff.stdout).toContain(`+ create peer ${node.name}/carol`);
    expect(diff.stdout).not.toContain('bob');
    expect(diff.stderr).toContain(`kept (--prune deletes): peer ${node.name}/bob`);

    const pruneDiff = await cli.run(['diff', '-f', fleetPath, '--prune', '-o', 'json']);
    expect(pruneDiff.code).toBe(2);
    expect(JSON.parse(pruneDiff.stdout).changes).toContainEqual(
      expect.objectContaining({ action: 'delete', kind: 'peer', peer: 'bob' }),
    );

    const sync = await cli.run(['sync', '-f', fleetPath]);
    expect(sync.code).toBe(0);
    expect(sync.stdout).toContain('3 change(s) applied');
    expect(await cli.run(['diff', '-f', fleetPath])).toMatchObject({ code: 0 });

    const peers = JSON.parse(
      (await cli.run(['peers', 'ls', '--node', node.name, '-o', 'json'])).stdout,
    ) as PeerJson[];
    const carol = peers.find((p) => p.name === 'carol')!;
    expect(carol).toMatchObject({ has_private_key: true });
    expect(peers.find((p) => p.name === 'alice')).toMatchObject({ persistent_keepalive: 15 });
    expect(peers.map((p) => p.name).sort()).toEqual(['alice', 'bob', 'carol']);

    expect(await cli.run(['sync', '-f', fleetPath, '--prune'])).toMatchObject({ code: 0 });
    const afterPrune = JSON.parse((await cli.run(['peers', 'ls', '--node', node.name, '-o', 'json'])).stdout);
    expect(afterPrune.map((p: PeerJson) => p.name).sort()).toEqual(['alice', 'carol']);
    await peersSynced(panel, [alice.id, carol.id]);
  });

  it('drift --watch redraws in a real terminal and stops on Ctrl-C', async () => {
    const session = `wgcl-${randomBytes(4).toString('hex')}`;
    const env = Object.entries({ ...cli.env, TERM: 'xterm-256color' })
      .map(([key, value]) => `${key}='${value}'`)
      .join(' ');
    const command = `env -i ${env} ${process.execPath} ${CLI_BUNDLE} drift ${node.name} --watch --interval 1 --exit-code; echo "EXIT=$?"; sleep 60`;
    await run('tmux', ['new-session', '-d', '-s', session, '-x', '160', '-y', '40', command]);
    const screen = (colours = false) =>
      run('tmux', ['capture-pane', '-p', ...(colours ? ['-e'] : []), '-t', session]);
    try {
      await eventually(
        async () => ((await screen()).includes('in_sync') ? true : undefined),
        30000,
        'in_sync on screen',
      );
      expect(await screen(true)).toContain('\u001b[32m');

      await wgSet('peer', 'TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=', 'allowed-ips', '10.250.7.7/32');
      const drifted = await eventually(
        async () => {
          const text = await screen();
          return text.includes(': drift') ? text : undefined;
        },
        30000,
        'drift on screen',
      );
      expect(drifted).toMatch(/unknown\s+-\s+TrMvSoP4jY/);
      expect(drifted.match(/Ctrl-C to stop/g)).toHaveLength(1);

      await run('tmux', ['send-keys', '-t', session, 'C-c']);
      const ended = await eventually(async () => /EXIT=\d/.exec(await screen())?.[0], 10000, 'the exit code');
      expect(ended).toBe('EXIT=2');
    } finally {
      await run('tmux', ['kill-session', '-t', session]).catch(() => undefined);
      await wgSet('peer', 'TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=', 'remove');
    }
  });
});
