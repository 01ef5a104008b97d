import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDump } from '../../agent/src/wg/dump-parser';
import { freePort } from '../../agent/test/support/agent-process';
import {
  createWgInterface,
  randomKey,
  uniqueInterfaceName,
  WgInterface,
} from '../../agent/test/support/wg-interface';
import { eventually } from '../reconcile-fixture';
import { startPanel, TestPanel } from '../support/panel';
import { peerConfiguration, putPeersOnNode } from './support/existing-peers';
import { RunningNodeAgent, runCommand, startAgentFromEnvFile } from './support/node-process';

jest.setTimeout(180000);

const AGENT_DIR = join(__dirname, '..', '..', 'agent');
const RELEASE = join(AGENT_DIR, 'release', 'wgfleet-agent');

/** The node's dump straight from wg, in the agent's shape (preshared keys as hashes). */
const dumpOf = (wg: WgInterface) => async () =>
  parseDump(wg.name, Buffer.from(await wg.wg('show', wg.name, 'dump')));

describe('a server with peers: the agent release installed into a temporary root, enrolled, its peers adopted (wireguard-go)', () => {
  let panel: TestPanel;
  let wg: WgInterface;
  let root: string;
  let agent: RunningNodeAgent | null = null;

  beforeAll(async () => {
    const built = await runCommand(process.execPath, [join(AGENT_DIR, 'release', 'build-release.mjs')]);
    if (built.code !== 0) throw new Error(`building the release failed: ${built.stderr}`);
    // The installed agent answers on loopback, which a claim may reach only when AGENT_URL_ALLOW says so.
    panel = await startPanel({ AGENT_URL_ALLOW: '127.0.0.0/8' });
    wg = await createWgInterface(uniqueInterfaceName('wgob'));
    root = await mkdtemp(join(tmpdir(), 'wgob-root-'));
  });

  afterAll(async () => {
    await agent?.stop();
    await wg?.destroy();
    await panel?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('installs from one JS file with one command, adopts the server’s peers unchanged, upgrades and uninstalls in place', async () => {
    expect(await readdir(join(RELEASE, 'lib'))).toEqual(['wgfleet-agent.js']);
    // The server already carries peers, with preshared keys and keepalives.
    await putPeersOnNode(
      { wg },
      Array.from({ length: 50 }, (_, i) => ({
        allowed_ips: [`10.79.0.${i + 10}/32`],
        persistent_keepalive: i % 2 ? 25 : 0,
        psk: i % 3 !== 0,
      })),
    );
    const onTheServer = await peerConfiguration({ dump: dumpOf(wg) });
    const port = await freePort();
    const install = () =>
      runCommand('sh', [
        join(RELEASE, 'install.sh'),
        '--root',
        root,
        '--no-systemd',
        '--interface',
        wg.name,
        '--listen',
        `127.0.0.1:${port}`,
        '--host',
        '127.0.0.1',
      ]);
    const first = await install();
    process.stdout.write(first.stdout);
    expect(first).toMatchObject({ code: 0 });
    const confdir = join(root, 'etc', 'wgfleet-agent');
    const cert = await readFile(join(confdir, 'tls.crt'), 'utf8');
    const fingerprint = (
      await runCommand('openssl', [
        'x509',
        '-noout',
        '-fingerprint',
        '-sha256',
        '-in',
        join(confdir, 'tls.crt'),
      ])
    ).stdout
      .trim()
      .replace(/^.*=/, '');
    expect(first.stdout).toContain(`agent URL        https://127.0.0.1:${port}`);
    expect(first.stdout).toContain(`public key       ${wg.publicKey}`);
    expect(first.stdout).toContain(`listen port      ${wg.listenPort}`);
    expect(first.stdout).toContain(`cert fingerprint ${fingerprint}`);
    for (const [file, mode] of [
      ['secret', 0o640],
      ['tls.key', 0o640],
      ['agent.env', 0o640],
    ] as const) {
      expect((await stat(join(confdir, file))).mode & 0o777).toBe(mode);
    }
    expect(existsSync(join(root, 'etc', 'systemd'))).toBe(false);
    const secret = await readFile(join(confdir, 'secret'), 'utf8');
    expect(secret).toMatch(/^[0-9a-f]{64}$/);

    // Started from the installed files only: no repository, no node_modules.
    const bin = join(root, 'opt', 'wgfleet-agent', 'bin', 'wgfleet-agent');
    const url = `https://127.0.0.1:${port}`;
    agent = await startAgentFromEnvFile([bin], join(confdir, 'agent.env'), url, cert);

    const { token } = (
      await panel
        .as()
        .post('/api/enrollments', {
          node: {
            name: 'installed',
            interface: wg.name,
            endpoint: 'vpn.example.com',
            address_pool: '10.79.0.0/24',
          },
        })
        .expect(201)
    ).body;
    const panelUrl = await panel.app.getUrl();
    const enrolled = await runCommand(bin, [
      'enroll',
      '--panel',
      panelUrl,
      '--token',
      token,
      '--url',
      url,
      '--config-dir',
      confdir,
    ]);
    process.stdout.write(enrolled.stdout);
    expect(enrolled).toMatchObject({ code: 0, stderr: '' });
    expect(enrolled.stdout).toContain('the running agent already has this configuration');
    const [node] = (await panel.as().get('/api/nodes').expect(200)).body.items;
    expect(node).toMatchObject({ public_key: wg.publicKey, agent_cert_fingerprint: fingerprint });
    expect((await panel.as().get(`/api/drift/nodes/${node.id}`).expect(200)).body.summary.unknown).toBe(50);
    const plan = await panel.as().post(`/api/nodes/${node.id}/adopt`, { dry_run: true }).expect(200);
    const adopted = await panel
      .as()
      .post(`/api/nodes/${node.id}/adopt`, { plan_id: plan.body.plan_id })
      .expect(200);
    expect(adopted.body).toMatchObject({ skipped: [] });
    expect(adopted.body.adopted).toHaveLength(50);
    await eventually(
      async () => {
        const { body } = await panel.as().get(`/api/drift/nodes/${node.id}`).expect(200);
        return body.status === 'in_sync' ? body : undefined;
      },
      20000,
      'the installed node in sync',
    );
    expect(await peerConfiguration({ dump: dumpOf(wg) })).toEqual(onTheServer);

    // Re-running upgrades in place: same secret, same certificate, the agent still the panel's.
    await agent.stop();
    agent = null;
    const second = await install();
    expect(second.code).toBe(0);
    expect(await readFile(join(confdir, 'secret'), 'utf8')).toBe(secret);
    expect(await readFile(join(confdir, 'tls.crt'), 'utf8')).toBe(cert);
    agent = await startAgentFromEnvFile([bin], join(confdir, 'agent.env'), url, cert);
    const { body } = await panel.as().get(`/api/drift/nodes/${node.id}`).expect(200);
    expect(body.status).toBe('in_sync');

    // Uninstalling removes the program and keeps the configuration; the interface and its peers stay.
    await wg.wg('set', wg.name, 'peer', randomKey(), 'allowed-ips', '10.79.0.9/32');
    const peersBefore = await peerConfiguration({ dump: dumpOf(wg) });
    await agent.stop();
    agent = null;
    const removed = await runCommand('sh', [join(RELEASE, 'install.sh'), '--uninstall', '--root', root]);
    expect(removed).toMatchObject({ code: 0 });
    expect(existsSync(join(root, 'opt', 'wgfleet-agent'))).toBe(false);
    expect(await readFile(join(confdir, 'secret'), 'utf8')).toBe(secret);
    expect(await peerConfiguration({ dump: dumpOf(wg) })).toEqual(peersBefore);
  });
});
