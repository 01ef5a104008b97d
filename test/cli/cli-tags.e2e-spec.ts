import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ADMIN_TOKEN, startPanel, TestPanel } from '../support/panel';
import { nodeBody } from '../resilience/support/fleet';
import { bundleCli, CliSession, cliSession, panelUrl } from './support/cli-process';

jest.setTimeout(120000);

interface Json {
  id: string;
  name: string;
  tags: Record<string, string>;
}

/** Node tags through the CLI: list filters, set/untag, show, and the fleet file's `tags:` (export, diff, sync). */
describe('wgfleet node tags against a real panel', () => {
  let panel: TestPanel;
  let cli: CliSession;

  const json = async (args: string[]) => {
    const result = await cli.run([...args, '-o', 'json']);
    if (result.code !== 0)
      throw new Error(`wgfleet ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout);
  };
  const names = async (args: string[]) => ((await json(args)) as Json[]).map((node) => node.name).sort();

  beforeAll(async () => {
    await bundleCli();
    panel = await startPanel();
    cli = await cliSession({ WGFLEET_URL: panelUrl(panel), WGFLEET_TOKEN: ADMIN_TOKEN });
    // Agents that do not answer (port 9): tags need none.
    await panel
      .as()
      .post('/api/nodes', nodeBody({ name: 'cli-eu', tags: { region: 'eu' } }))
      .expect(201);
    await panel
      .as()
      .post('/api/nodes', nodeBody({ name: 'cli-us', tags: { region: 'us' } }))
      .expect(201);
  });

  afterAll(async () => {
    await panel?.close();
    await cli?.cleanup();
  });

  it('lists by tag (repeated = all), sets and removes tags, shows them', async () => {
    expect(await names(['nodes', 'list', '--tag', 'region=eu'])).toEqual(['cli-eu']);
    const set = await json(['nodes', 'set', 'cli-eu', '--tag', 'tier=gold', '--tag', 'region=west']);
    expect(set.tags).toEqual({ region: 'west', tier: 'gold' });
    expect(await names(['nodes', 'ls', '--tag', 'region=west', '--tag', 'tier=gold'])).toEqual(['cli-eu']);
    expect(await names(['nodes', 'ls', '--tag', 'region=west', '--tag', 'tier=free'])).toEqual([]);
    expect((await json(['nodes', 'set', 'cli-eu', '--untag', 'tier'])).tags).toEqual({ region: 'west' });

    const table = await cli.run(['nodes', 'ls']);
    expect(table.stdout).toMatch(/TAGS/);
    expect(table.stdout).toMatch(/cli-eu .*region=west/);
    expect((await cli.run(['nodes', 'show', 'cli-us'])).stdout).toMatch(/tags\s+region=us/);

    const usage = await cli.run(['nodes', 'ls', '--tag', 'region']);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('must be key=value');
    const refused = await cli.run(['nodes', 'ls', '--tag', 'Region=eu']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/tag/);
  });

  it('exports tags in the fleet file, and diff and sync change them', async () => {
    const exported = parse((await cli.run(['export'])).stdout);
    const us = exported.nodes.find((node: { name: string }) => node.name === 'cli-us');
    expect(us.tags).toEqual({ region: 'us' });

    expect((await cli.run(['diff', '-f', '-'], { stdin: stringify(exported) })).stdout).toMatch(
      /nothing to change|no change/i,
    );
    us.tags = { tier: 'gold', region: 'us' };
    const file = join(cli.env.HOME, 'fleet.yaml');
    await writeFile(file, stringify(exported));
    const diff = await cli.run(['diff', '-f', file]);
    expect(diff.stdout).toContain('tags: {"region":"us"} → {"tier":"gold","region":"us"}');
    const sync = await cli.run(['sync', '-f', file]);
    expect(sync.code).toBe(0);
    const { body } = await panel.as().get('/api/nodes?tag=tier=gold').expect(200);
    expect(body.items.map((node: Json) => node.name)).toEqual(['cli-us']);
  });
});
