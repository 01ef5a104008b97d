import { execFile } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { createFleetNode, eventually, FleetNode, peersSynced } from '../reconcile-fixture';
import { ADMIN_TOKEN, startPanel, TestPanel } from '../support/panel';
import { bundleCli, CliSession, cliSession, panelUrl } from './support/cli-process';

jest.setTimeout(180000);

interface Json {
  id: string;
  name: string;
  [field: string]: unknown;
}

describe('wgfleet nodes, peers, configs, events, tokens, webhooks and completion against a real panel', () => {
  let panel: TestPanel;
  let cli: CliSession;
  let node: FleetNode;

  const json = async (args: string[], env?: Record<string, string | undefined>) => {
    const result = await cli.run([...args, '-o', 'json'], { env });
    if (result.code !== 0)
      throw new Error(`wgfleet ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout);
  };

  beforeAll(async () => {
    await bundleCli();
    panel = await startPanel({ DRIFT_SCAN_INTERVAL_S: '3600', APPLY_DEBOUNCE_MS: '50' });
    cli = await cliSession({ WGFLEET_URL: panelUrl(panel), WGFLEET_TOKEN: ADMIN_TOKEN });
    // The node is registered by `wgfleet nodes add`, its agent secret read from stdin.
    node = await createFleetNode(
      async (body) => {
        const created = await cli.run(
          [
            'nodes',
            'add',
            String(body.name),
            '--agent-url',
            String(body.agent_url),
            '--interface',
            String(body.interface),
            '--endpoint',
            String(body.endpoint),
            '--address-pool',
            String(body.address_pool),
            '--agent-secret-stdin',
            '-o',
            'json',
          ],
          { stdin: `${String(body.agent_secret)}\n` },
        );
        if (created.code !== 0) throw new Error(created.stderr);
        return (JSON.parse(created.stdout) as Json).id;
      },
      { prefix: 'wgcl' },
    );
  });

  afterAll(async () => {
    await node?.destroy();
    await panel?.close();
    await cli?.cleanup();
  });

  it('nodes: ls, show and set by name; `none` clears an override', async () => {
    expect((await json(['nodes', 'ls'])).map((n: Json) => n.name)).toEqual([node.name]);
    const table = await cli.run(['nodes', 'ls']);
    expect(table.stdout).toMatch(new RegExp(`^NAME\\s+ID\\s+INTERFACE[\\s\\S]*${node.name}\\s+${node.id}`));
    expect(table.stdout).not.toContain('\u001b[');

    const set = await json([
      'nodes',
      'set',
      node.name,
      '--override-mtu',
      '1380',
      '--override-dns',
      '9.9.9.9,1.1.1.1',
    ]);
    expect(set).toMatchObject({ override_mtu: 1380, override_dns: ['9.9.9.9', '1.1.1.1'], version: 2 });
    await json(['nodes', 'set', node.name, '--override-dns', 'none']);
    expect(await json(['nodes', 'show', node.id])).toMatchObject({ override_mtu: 1380, override_dns: null });

    const bad = await cli.run(['nodes', 'set', node.name, '--override-mtu', 'big']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      "option '--override-mtu <mtu|none>' argument 'big' is invalid. must be a whole number",
    );
  });

  it('peers: add, config as text, file and terminal QR, set, rm', async () => {
    const phone = (await json(['peers', 'add', node.name, 'phone', '--preshared-key'])) as Json;
    expect(phone).toMatchObject({ has_private_key: true, has_preshared_key: true });
    await peersSynced(panel, [phone.id]);

    const config = await cli.run(['peers', 'config', 'phone']);
    expect(config.code).toBe(0);
    expect(config.stdout).toMatch(/^# phone\n\[Interface\]\nPrivateKey = /);
    expect(config.stdout).toContain('Endpoint = vpn.example.com:51820');

    const file = join(cli.env.HOME, 'phone.conf');
    expect(await cli.run(['peers', 'config', phone.id, '--out', file])).toMatchObject({ code: 0 });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toBe(config.stdout);

    const qr = await cli.run(['peers', 'config', 'phone', '--node', node.name, '--qr']);
    expect(qr.code).toBe(0);
    expect(qr.stdout).toMatch(/[▀▄█]{10,}/);
    expect(qr.stdout).not.toContain('PrivateKey');

    const { body: reader } = await panel
      .as()
      .post('/api/tokens', { name: 'wgcl-config-read', role: 'read' })
      .expect(201);
    const refused = await cli.run(['peers', 'config', 'phone'], { env: { WGFLEET_TOKEN: reader.token } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('this needs a token of role write; yours is read');
    expect(refused.stderr).toContain('HTTP 403');
    expect(refused.stdout).not.toContain('PrivateKey');

    expect(await json(['peers', 'set', 'phone', '--keepalive', '15', '--disable'])).toMatchObject({
      persistent_keepalive: 15,
      enabled: false,
    });
    const listed = await cli.run(['peers', 'ls', '--node', node.name]);
    expect(listed.stdout).toMatch(/phone\s+\S+\s+10\.\d+\.\d+\.\d+\/32\s+\S+\s+false/);
    expect((await json(['peers', 'ls', '--search', 'PHO'])).map((p: Json) => p.name)).toEqual(['phone']);
    expect(await json(['peers', 'ls', '--search', 'laptop'])).toEqual([]);
    expect(listed.stdout).not.toContain('ROUTED NETWORKS');

    const site = (await json([
      'peers',
      'add',
      node.name,
      'site-b',
      '--routed-ips',
      '192.168.60.0/24',
    ])) as Json;
    const withSite = (await cli.run(['peers', 'ls', '--node', node.name])).stdout;
    expect(withSite).toContain('ROUTED NETWORKS');
    expect(withSite).toMatch(/site-b\s+\S+\s+10\.\d+\.\d+\.\d+\/32\s+192\.168\.60\.0\/24\s/);
    expect(withSite).toMatch(/phone\s+\S+\s+10\.\d+\.\d+\.\d+\/32\s+-\s/);
    await json(['peers', 'rm', site.id]);

    expect(await json(['peers', 'rm', 'phone'])).toEqual({
      deleted: { kind: 'peer', id: phone.id, name: 'phone' },
    });
    expect(await json(['peers', 'ls'])).toEqual([]);
    const gone = await cli.run(['peers', 'rm', 'phone']);
    expect(gone).toMatchObject({ code: 1, stderr: expect.stringContaining('no peer named "phone"') });
  });

  it('events: the log of a node, and --follow prints new events as they come', async () => {
    const types = (await json(['events', '--node', node.name])).map((e: { type: string }) => e.type);
    expect(types[0]).toBe('node.registered');
    expect(types).toContain('node.updated');

    const follow = cli.start([
      'events',
      '--follow',
      '--interval',
      '0.2',
      '--type',
      'peer.created',
      '-o',
      'json',
    ]);
    try {
      await json(['peers', 'add', node.name, 'tablet']);
      const line = await eventually(
        async () =>
          follow
            .output()
            .stdout.split('\n')
            .find((text) => text.includes('"tablet"')),
        20000,
        'the followed peer.created event',
      );
      // The CLI says it is the CLI: the event names the token it used, via cli.
      expect(JSON.parse(line)).toMatchObject({
        type: 'peer.created',
        payload: { name: 'tablet' },
        actor: { kind: 'token', via: 'cli', request_id: expect.any(String) },
      });
    } finally {
      follow.child.kill('SIGINT');
    }
    expect((await follow.done).code).toBe(0);
  });

  it('tokens: create prints the token once, it works, rm revokes it', async () => {
    const created = await json(['tokens', 'create', 'wgcl-ci', '--role', 'read']);
    expect(created).toMatchObject({ name: 'wgcl-ci', role: 'read', token: expect.any(String) });
    expect(await cli.run(['nodes', 'ls'], { env: { WGFLEET_TOKEN: created.token } })).toMatchObject({
      code: 0,
    });
    const listed = await cli.run(['tokens', 'ls']);
    expect(listed.stdout).toContain('wgcl-ci');
    expect(listed.stdout).not.toContain(created.token);

    expect(await cli.run(['tokens', 'rm', 'wgcl-ci'])).toMatchObject({ code: 0 });
    const revoked = await cli.run(['nodes', 'ls'], { env: { WGFLEET_TOKEN: created.token } });
    expect(revoked).toMatchObject({ code: 1, stderr: expect.stringContaining('HTTP 401') });
  });

  it('webhooks: add prints the secret once, ls, deliveries, rm', async () => {
    const created = await json([
      'webhooks',
      'add',
      'http://127.0.0.1:9/wgcl',
      '--events',
      'drift.detected,node.unreachable',
    ]);
    expect(created).toMatchObject({
      events: ['drift.detected', 'node.unreachable'],
      secret: expect.stringMatching(/^whsec_/),
    });
    const listed = await cli.run(['webhooks', 'ls']);
    expect(listed.stdout).toMatch(
      /http:\/\/127\.0\.0\.1:9\/wgcl\s+\S+\s+drift\.detected,node\.unreachable\s+true/,
    );
    expect(listed.stdout).not.toContain(created.secret);
    expect(await json(['webhooks', 'deliveries', created.id])).toEqual([]);
    expect(await cli.run(['webhooks', 'rm', created.id])).toMatchObject({ code: 0 });
    expect(await json(['webhooks', 'ls'])).toEqual([]);
  });

  it('completion bash completes subcommands and options in a real bash', async () => {
    const script = await cli.run(['completion', 'bash']);
    expect(script.code).toBe(0);
    const complete = async (...words: string[]) => {
      const program = `${script.stdout}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}
_wgfleet_completion; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const { stdout } = await promisify(execFile)('bash', ['-c', program]);
      return stdout.trim().split('\n');
    };
    expect(await complete('wgfleet', 'pe')).toEqual(['peers']);
    expect(await complete('wgfleet', 'peers', '')).toEqual(
      expect.arrayContaining(['ls', 'add', 'set', 'rm', 'config']),
    );
    expect(await complete('wgfleet', 'drift', '--ex')).toEqual(['--exit-code']);
    expect(await complete('wgfleet', 'peers', 'config', '--q')).toEqual(['--qr']);
    expect((await cli.run(['completion', 'tcsh'])).code).toBe(1);
  });

  it('template: create, edit (next version), pin a node by name@version, unpin, delete', async () => {
    const created = await json([
      'template',
      'create',
      'cli-branch',
      '--override-keepalive',
      '30',
      '--client-routes',
      'split:10.0.0.0/8',
    ]);
    expect(created).toMatchObject({
      version: 1,
      settings: { override_keepalive: 30, client_routes: { mode: 'split', networks: ['10.0.0.0/8'] } },
    });
    const edited = await json(['template', 'edit', 'cli-branch', '--override-keepalive', '40']);
    expect(edited).toMatchObject({ version: 2, settings: { override_keepalive: 40 } });
    expect((await json(['template', 'list'])).map((t: Json) => t.name)).toContain('cli-branch');

    expect(await json(['nodes', 'set', node.name, '--template', 'cli-branch@1'])).toMatchObject({
      template_id: created.id,
      template_version: 1,
    });
    const followed = await cli.run(['template', 'delete', 'cli-branch']);
    expect(followed.code).not.toBe(0);
    expect(followed.stderr).toMatch(/followed by 1 node/);

    expect(await json(['nodes', 'set', node.name, '--template', 'cli-branch'])).toMatchObject({
      template_version: 2,
    });
    expect(await json(['nodes', 'set', node.name, '--template', 'none'])).toMatchObject({
      template_id: null,
      template_version: null,
    });
    const unknown = await cli.run(['nodes', 'set', node.name, '--template', 'nope']);
    expect(unknown.stderr).toContain('no template named "nope"');
    expect(await json(['template', 'delete', 'cli-branch'])).toEqual({
      deleted: { kind: 'template', id: created.id, name: 'cli-branch' },
    });
  });

  it('fleet file: templates and node template are exported, diffed and synced; an edit moves no node', async () => {
    const fleetPath = join(cli.env.HOME, 'fleet-templates.yaml');
    const document = parse((await cli.run(['export'])).stdout);
    document.templates = { 'fleet-tpl': { override_keepalive: 33 } };
    document.nodes[0].template = 'fleet-tpl';
    await writeFile(fleetPath, stringify(document));

    const diff = await cli.run(['diff', '-f', fleetPath]);
    expect(diff.code).toBe(2);
    expect(diff.stdout).toContain('+ create template fleet-tpl');
    expect(diff.stdout).toContain('template: null → "fleet-tpl"');
    expect(await cli.run(['sync', '-f', fleetPath])).toMatchObject({ code: 0 });
    expect(await cli.run(['diff', '-f', fleetPath])).toMatchObject({ code: 0 });
    expect(await json(['nodes', 'show', node.name])).toMatchObject({ template_version: 1 });
    expect(parse((await cli.run(['export'])).stdout)).toMatchObject({
      templates: { 'fleet-tpl': { override_keepalive: 33 } },
      nodes: [{ name: node.name, template: 'fleet-tpl' }],
    });

    document.templates['fleet-tpl'] = { override_keepalive: 34 };
    await writeFile(fleetPath, stringify(document));
    expect((await cli.run(['diff', '-f', fleetPath])).stdout).toContain('~ update template fleet-tpl');
    expect(await cli.run(['sync', '-f', fleetPath])).toMatchObject({ code: 0 });
    expect(await json(['template', 'show', 'fleet-tpl'])).toMatchObject({ version: 2 });
    expect(await json(['nodes', 'show', node.name])).toMatchObject({ template_version: 1 });

    delete document.templates;
    document.nodes[0].template = null;
    await writeFile(fleetPath, stringify(document));
    expect(await cli.run(['sync', '-f', fleetPath, '--prune'])).toMatchObject({ code: 0 });
    expect(await json(['nodes', 'show', node.name])).toMatchObject({ template_id: null });
    expect(await json(['template', 'list'])).toEqual([]);
  });

  it('nodes rm deletes a node by name', async () => {
    expect(await json(['nodes', 'rm', node.name])).toEqual({
      deleted: { kind: 'node', id: node.id, name: node.name },
    });
    expect(await json(['nodes', 'ls'])).toEqual([]);
  });
});
