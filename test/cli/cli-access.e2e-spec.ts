import { UsersService } from '../../src/modules/users';
import { nodeBody } from '../resilience/support/fleet';
import { ADMIN_TOKEN, startPanel, TestPanel } from '../support/panel';
import { bundleCli, CliSession, cliSession, panelUrl } from './support/cli-process';

jest.setTimeout(120000);

describe('wgfleet whoami, bindings and scoped tokens against a real panel', () => {
  let panel: TestPanel;
  let cli: CliSession;

  const json = async (args: string[], env?: Record<string, string | undefined>) => {
    const result = await cli.run([...args, '-o', 'json'], { env });
    if (result.code !== 0)
      throw new Error(`wgfleet ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout);
  };

  beforeAll(async () => {
    await bundleCli();
    panel = await startPanel();
    cli = await cliSession({ WGFLEET_URL: panelUrl(panel), WGFLEET_TOKEN: ADMIN_TOKEN });
  });

  afterAll(() => panel?.close());

  it('creates a token scoped to named nodes and one to a tag; each says who it is and where', async () => {
    const eu = (
      await panel
        .as()
        .post('/api/nodes', nodeBody({ name: 'eu-1', tags: { region: 'eu' } }))
        .expect(201)
    ).body;
    await panel
      .as()
      .post('/api/nodes', nodeBody({ name: 'us-1', tags: { region: 'us' } }))
      .expect(201);

    const listed = await json(['tokens', 'create', 'eu-names', '--role', 'read', '--scope', 'node=eu-1']);
    expect(listed.scope).toEqual({ node_ids: [eu.id] });
    const tagged = await json(['tokens', 'create', 'eu-tag', '--role', 'write', '--scope', 'tag=region=eu']);
    expect(tagged.scope).toEqual({ tag: 'region=eu' });

    const whoami = await cli.run(['whoami'], { env: { WGFLEET_TOKEN: tagged.token } });
    expect(whoami.code).toBe(0);
    expect(whoami.stdout).toContain('eu-tag (token ');
    expect(whoami.stdout).toContain('write on tag region=eu');
    const nodes = await json(['nodes', 'ls'], { WGFLEET_TOKEN: tagged.token });
    expect(nodes.map((node: { name: string }) => node.name)).toEqual(['eu-1']);

    const exported = await cli.run(['export'], { env: { WGFLEET_TOKEN: tagged.token } });
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('eu-1');
    expect(exported.stdout).not.toContain('us-1');
    expect(exported.stderr).toContain('limited to your scope (read on tag region=eu)');
    expect(exported.stderr).toContain('clusters and templates need the whole fleet');
    const refused = await cli.run(['diff', '-f', '-'], {
      env: { WGFLEET_TOKEN: tagged.token },
      stdin: 'nodes: []\nclusters: []\n',
    });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('clusters: needs role write on the whole fleet');
    expect((await cli.run(['export'])).stderr).not.toContain('limited to your scope');

    const unknown = await cli.run(['tokens', 'create', 'x', '--role', 'read', '--scope', 'node=nowhere']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('no node named "nowhere"');
    const bad = await cli.run(['tokens', 'create', 'x', '--role', 'read', '--scope', 'region=eu']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('must be all, tag=<key>=<value>');
  });

  it('adds, lists and deletes bindings for a group and for a user named by email', async () => {
    const ada = await panel.app.get(UsersService).upsertFromClaims({
      issuer: 'https://idp.example.com',
      subject: 'ada',
      name: 'Ada',
      email: 'ada@example.com',
      groups: [],
    });
    const group = await json([
      'bindings',
      'add',
      '--group',
      'eu-ops',
      '--role',
      'write',
      '--scope',
      'tag=region=eu',
    ]);
    expect(group).toMatchObject({ subject: { group: 'eu-ops' }, role: 'write', scope: { tag: 'region=eu' } });
    const user = await json([
      'bindings',
      'add',
      '--user',
      'ada@example.com',
      '--role',
      'read',
      '--scope',
      'all',
    ]);
    expect(user).toMatchObject({ subject: { user_id: ada.id }, role: 'read', scope: { all: true } });

    const table = await cli.run(['bindings', 'list']);
    expect(table.stdout).toMatch(/group eu-ops\s+write\s+tag region=eu/);
    expect(table.stdout).toContain(`user ${ada.id}`);

    await json(['bindings', 'delete', group.id]);
    expect((await json(['bindings', 'ls'])).map((binding: { id: string }) => binding.id)).toEqual([user.id]);
  });
});
