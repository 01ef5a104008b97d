import { ADMIN_TOKEN, startPanel, TestPanel } from '../support/panel';
import { bundleCli, CliSession, cliSession, panelUrl } from './support/cli-process';

jest.setTimeout(180000);

const KEY_A = Buffer.alloc(32, 11).toString('base64');
const KEY_B = Buffer.alloc(32, 12).toString('base64');
const TSIG_SECRET = Buffer.alloc(32, 13).toString('base64');

/** `wgfleet cluster …` against a real panel; members registered with their key and no agent to reach. */
describe('wgfleet cluster', () => {
  let panel: TestPanel;
  let cli: CliSession;

  const json = async (args: string[], stdin?: string) => {
    const result = await cli.run([...args, '-o', 'json'], stdin === undefined ? {} : { stdin });
    if (result.code !== 0)
      throw new Error(`wgfleet ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout);
  };

  beforeAll(async () => {
    await bundleCli();
    panel = await startPanel({ DRIFT_SCAN_INTERVAL_S: '3600' });
    cli = await cliSession({ WGFLEET_URL: panelUrl(panel), WGFLEET_TOKEN: ADMIN_TOKEN });
    for (const [name, key] of [
      ['wgcm-a', KEY_A],
      ['wgcm-b', KEY_A],
      ['wgcm-c', KEY_B],
    ]) {
      await panel
        .as()
        .post('/api/nodes', {
          name,
          agent_url: 'http://127.0.0.1:9',
          interface: 'wg0',
          endpoint: `${name}.example.com:51820`,
          address_pool: `10.174.${name.charCodeAt(5)}.0/24`,
          agent_secret: 'x'.repeat(32),
          public_key: key,
        })
        .expect(201);
    }
  });

  afterAll(async () => {
    await panel?.close();
  });

  it('creates, lists, shows, adds and removes members, adds and lists peers, and deletes', async () => {
    const created = await json(
      [
        'cluster',
        'create',
        'edge',
        '--endpoint',
        'vpn.example.com:51821',
        '--pool',
        '10.174.200.0/24',
        '--dns',
        'rfc2136',
        '--dns-server',
        '127.0.0.1:53',
        '--dns-zone',
        'example.com',
        '--tsig-key-name',
        'wgfleet',
        '--dns-secret-stdin',
      ],
      `${TSIG_SECRET}\n`,
    );
    expect(created).toMatchObject({
      name: 'edge',
      endpoint_host: 'vpn.example.com',
      endpoint_port: 51821,
      dns: { provider: 'rfc2136', has_secret: true },
    });
    expect(JSON.stringify(created)).not.toContain(TSIG_SECRET);

    await json(['cluster', 'add-member', 'edge', 'wgcm-a']);
    await json(['cluster', 'add-member', 'edge', 'wgcm-b']);
    const refused = await cli.run(['cluster', 'add-member', 'edge', 'wgcm-c']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('wgcm-c');

    const listed = await cli.run(['cluster', 'list']);
    expect(listed.stdout).toContain('vpn.example.com:51821');
    const shown = await cli.run(['cluster', 'show', 'edge']);
    expect(shown.stdout).toContain('wgcm-a');
    expect(shown.stdout).toContain('unhealthy');

    const peer = await json(['cluster', 'add-peer', 'edge', 'laptop']);
    expect(peer).toMatchObject({ cluster_id: created.id, node_id: null, allowed_ips: ['10.174.200.2/32'] });
    expect((await json(['cluster', 'peers', 'edge'])).map((item: { id: string }) => item.id)).toEqual([
      peer.id,
    ]);
    const config = await cli.run(['peers', 'config', peer.id]);
    expect(config.stdout).toContain('Endpoint = vpn.example.com:51821');
    expect(config.stdout).toContain(`PublicKey = ${KEY_A}`);

    expect((await cli.run(['cluster', 'delete', 'edge'])).code).toBe(1);
    await json(['peers', 'rm', peer.id]);
    await json(['cluster', 'remove-member', 'edge', 'wgcm-a']);
    await json(['cluster', 'remove-member', 'edge', 'wgcm-b']);
    await json(['cluster', 'delete', 'edge']);
    expect(await json(['cluster', 'list'])).toEqual([]);
  });
});
