import { randomBytes } from 'node:crypto';
import { stripVTControlCharacters } from 'node:util';
import { randomKey, run } from '../../agent/test/support/wg-interface';
import { terminalQr } from '../../cli/src/terminal-qr';
import { eventually } from '../reconcile-fixture';
import { ADMIN_TOKEN, startPanel, TestPanel } from '../support/panel';
import { bundleCli, CLI_BUNDLE, CliSession, cliSession, panelUrl } from './support/cli-process';
import { PassThroughProxy, startPassThroughProxy } from '../support/pass-through-proxy';

jest.setTimeout(180000);

/** No node in this file has a live agent: nothing here needs one, so no namespace or interface is made. */
describe('wgfleet polling commands and the terminal QR code against a real panel', () => {
  let panel: TestPanel;
  let proxy: PassThroughProxy;
  let cli: CliSession;

  beforeAll(async () => {
    await bundleCli();
    panel = await startPanel({ DRIFT_SCAN_INTERVAL_S: '3600' });
    proxy = await startPassThroughProxy(panelUrl(panel));
    cli = await cliSession({ WGFLEET_URL: proxy.url, WGFLEET_TOKEN: ADMIN_TOKEN });
  });

  afterAll(async () => {
    await proxy?.close();
    await panel?.close();
    await cli?.cleanup();
  });

  it.each([
    ['drift', '--watch', '/api/drift/nodes'],
    ['events', '--follow', '/api/events'],
  ])('%s %s polls 50 times without a MaxListenersExceededWarning', async (command, flag, path) => {
    const before = proxy.count(path);
    const polling = cli.start([command, flag, '--interval', '0.01', '-o', 'json']);
    try {
      await eventually(
        async () => (proxy.count(path) - before >= 50 ? true : undefined),
        60000,
        `50 requests to ${path}`,
      );
    } finally {
      polling.child.kill('SIGINT');
    }
    const result = await polling.done;
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('MaxListenersExceededWarning');
    expect(result.stderr).toBe('');
  });

  it('peers config --qr: half blocks, the whole code on a terminal its size, a note on a smaller one', async () => {
    // The agent is never reached: the node's key is given, and a config needs no agent.
    await panel
      .as()
      .post('/api/nodes', {
        name: 'xcl-qr',
        agent_url: 'http://127.0.0.1:9',
        agent_secret: randomBytes(32).toString('base64'),
        interface: 'xclqr0',
        endpoint: 'vpn.example.com:51820',
        address_pool: '10.177.40.0/24',
        public_key: randomKey(),
        override_dns: ['1.1.1.1', '1.0.0.1'],
        override_mtu: 1420,
      })
      .expect(201);
    const added = await cli.run(['peers', 'add', 'xcl-qr', 'phone', '--preshared-key']);
    expect(added.code).toBe(0);
    const config = await cli.run(['peers', 'config', 'phone']);
    expect(config.stdout).toContain('PresharedKey = ');
    const qr = await terminalQr(config.stdout);

    const inTerminal = async (columns: number, rows: number) => {
      const session = `xcl-${randomBytes(4).toString('hex')}`;
      const env = Object.entries({ ...cli.env, TERM: 'xterm-256color' })
        .map(([key, value]) => `${key}='${value}'`)
        .join(' ');
      const shell = `env -i ${env} ${process.execPath} ${CLI_BUNDLE} peers config phone --qr; printf "EXIT=$?"; sleep 60`;
      await run('tmux', [
        'new-session',
        '-d',
        '-s',
        session,
        '-x',
        String(columns),
        '-y',
        String(rows),
        shell,
      ]);
      try {
        return await eventually(
          async () => {
            const screen = await run('tmux', ['capture-pane', '-p', '-J', '-t', session]);
            return screen.includes('EXIT=0') ? screen : undefined;
          },
          20000,
          'the command to end',
        );
      } finally {
        await run('tmux', ['kill-session', '-t', session]).catch(() => undefined);
      }
    };

    const drawing = stripVTControlCharacters(qr.text)
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => line.trimEnd());
    expect(drawing).toHaveLength(qr.rows);
    expect(drawing.join('')).toMatch(/^[ ▀▄█]+$/);

    // A terminal of the size the code says it needs shows all of it, with a line left for the prompt (here the
    // exit code), and nothing else is said.
    const fits = await inTerminal(qr.columns, qr.rows + 1);
    const lines = fits.split('\n').map((line) => line.trimEnd());
    expect(lines.slice(0, qr.rows)).toEqual(drawing);
    expect(lines[qr.rows]).toBe('EXIT=0');

    // 80 × 24 is too small for a config with a private key (a code needs about 35 rows, see terminal-qr.ts):
    // the command says so after the code, where it stays on screen.
    const small = await inTerminal(80, 24);
    expect(small.replace(/\n/g, ' ')).toContain(
      `the QR code needs a terminal of at least ${qr.columns} × ${qr.rows + 1} characters; this one is 80 × 24`,
    );
  });
});
