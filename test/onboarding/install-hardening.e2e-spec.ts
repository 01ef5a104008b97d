/**
 * The installer's pitfalls: checksums shipped and checked, secret files tightened on every run, no guessed
 * host, a certificate reissued for a new host, and a `next:` line that runs as printed, with or without
 * systemd. Installs into temporary roots; no interface is created.
 */
import { chmod, cp, mkdtemp, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand, type CommandOutcome } from './support/node-process';

jest.setTimeout(120000);

const RELEASE_DIR = join(__dirname, '..', '..', 'agent', 'release');
const RELEASE = join(RELEASE_DIR, 'wgfleet-agent');

describe('install.sh hardening', () => {
  let work: string;
  let fakeBin: string;

  beforeAll(async () => {
    const built = await runCommand(process.execPath, [join(RELEASE_DIR, 'build-release.mjs')]);
    if (built.code !== 0) throw new Error(`building the release failed: ${built.stderr}`);
    work = await mkdtemp(join(tmpdir(), 'xha-install-'));
    // A `hostname` whose -I lists what XHA_ADDRESSES says, like a node with a tunnel beside its public address.
    fakeBin = join(work, 'bin');
    await runCommand('mkdir', ['-p', fakeBin]);
    await writeFile(join(fakeBin, 'hostname'), '#!/bin/sh\necho "$XHA_ADDRESSES"\n');
    await chmod(join(fakeBin, 'hostname'), 0o755);
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  const freshRoot = () => mkdtemp(join(work, 'root-'));
  const install = (
    root: string,
    args: string[],
    addresses = '192.0.2.10 10.172.0.1',
    release = RELEASE,
  ): Promise<CommandOutcome> =>
    runCommand('sh', [join(release, 'install.sh'), '--root', root, '--no-systemd', ...args], {
      PATH: `${fakeBin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      XHA_ADDRESSES: addresses,
    });
  const confdir = (root: string) => join(root, 'etc', 'wgfleet-agent');
  const modeOf = async (path: string) => (await stat(path)).mode & 0o777;
  const certCovers = async (root: string, ip: string) =>
    (
      await runCommand('openssl', ['x509', '-noout', '-checkip', ip, '-in', join(confdir(root), 'tls.crt')])
    ).stdout.includes('does match');

  it('ships SHA256SUMS for the tarball and inside it, and installs nothing from an altered release', async () => {
    const tarball = await runCommand('sh', [
      '-c',
      `cd ${RELEASE_DIR} && sha256sum --check --strict SHA256SUMS`,
    ]);
    expect(tarball).toMatchObject({ code: 0, stdout: 'wgfleet-agent-0.1.0.tar.gz: OK\n' });
    const listed = await runCommand('tar', ['-tzf', join(RELEASE_DIR, 'wgfleet-agent-0.1.0.tar.gz')]);
    expect(listed.stdout.split('\n')).toContain('wgfleet-agent/SHA256SUMS');
    const inside = await runCommand('sh', ['-c', `cd ${RELEASE} && sha256sum --check --strict SHA256SUMS`]);
    expect(inside.code).toBe(0);
    expect(inside.stdout).toContain('install.sh: OK');
    expect(inside.stdout).toContain('lib/wgfleet-agent.js: OK');

    const altered = join(work, 'altered');
    await cp(RELEASE, altered, { recursive: true });
    await writeFile(join(altered, 'lib', 'wgfleet-agent.js'), '\n// altered\n', { flag: 'a' });
    const root = await freshRoot();
    const refused = await install(root, ['--host', '127.0.0.1'], '192.0.2.10', altered);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('do not match its SHA256SUMS');
    expect(existsSync(join(root, 'opt'))).toBe(false);
  });

  it('refuses to guess among several addresses, listing them; takes the only one', async () => {
    const root = await freshRoot();
    const several = await install(root, []);
    expect(several.code).toBe(1);
    expect(several.stderr).toContain('several addresses; give the one the panel reaches with --host');
    expect(several.stderr).toContain('  192.0.2.10\n  10.172.0.1');
    expect(existsSync(join(root, 'opt'))).toBe(false);

    const one = await install(root, [], '192.0.2.10');
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('agent URL        https://192.0.2.10:8420');
    expect(await certCovers(root, '192.0.2.10')).toBe(true);
  });

  it('tightens a loosened secret, key or env file on a re-run, and reissues the certificate for a new --host', async () => {
    const root = await freshRoot();
    expect((await install(root, ['--host', '192.0.2.10'])).code).toBe(0);
    const files = ['secret', 'tls.key', 'agent.env'].map((name) => join(confdir(root), name));
    const secret = await readFile(files[0], 'utf8');
    const cert = await readFile(join(confdir(root), 'tls.crt'), 'utf8');
    for (const file of files) await chmod(file, 0o644);

    // A re-run without --host keeps the certificate's host, even with several addresses around.
    const again = await install(root, []);
    expect(again.code).toBe(0);
    for (const file of files) expect(await modeOf(file)).toBe(0o640);
    expect(await readFile(files[0], 'utf8')).toBe(secret);
    expect(await readFile(join(confdir(root), 'tls.crt'), 'utf8')).toBe(cert);
    expect(again.stdout).toContain('agent URL        https://192.0.2.10:8420');

    const moved = await install(root, ['--host', '198.51.100.7']);
    expect(moved.code).toBe(0);
    expect(await readFile(join(confdir(root), 'tls.crt'), 'utf8')).not.toBe(cert);
    expect(await certCovers(root, '198.51.100.7')).toBe(true);
    expect(moved.stdout).toContain('agent URL        https://198.51.100.7:8420');
    expect(moved.stdout).toContain("made again for 198.51.100.7: set the node's agent_cert_fingerprint");
    expect(await modeOf(join(confdir(root), 'tls.key'))).toBe(0o640);
    expect(await readFile(files[0], 'utf8')).toBe(secret);
  });

  it('without systemd links the command, says where it listens, and prints a next: line that runs as printed', async () => {
    const root = await freshRoot();
    const installed = await install(root, ['--host', '127.0.0.1']);
    expect(installed.code).toBe(0);
    const bin = join(root, 'opt', 'wgfleet-agent', 'bin', 'wgfleet-agent');
    expect(await readlink(join(root, 'usr', 'local', 'bin', 'wgfleet-agent'))).toBe(bin);
    expect(installed.stdout).toContain(
      'listens on       0.0.0.0:8420 (every address of this host; AGENT_LISTEN in agent.env narrows it)',
    );
    expect(await modeOf(join(root, 'var', 'lib', 'wgfleet-agent'))).toBe(0o700);
    expect(await readFile(join(confdir(root), 'agent.env'), 'utf8')).toContain(
      `AGENT_STATE_DIR=${join(root, 'var', 'lib', 'wgfleet-agent')}\n`,
    );

    const help = await runCommand(bin, ['enroll', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--token-file FILE');

    const next = /^next: (.*)$/m.exec(installed.stdout)![1];
    expect(next).toBe(
      `${bin} enroll --config-dir ${confdir(root)} --panel https://PANEL --token-file TOKEN_FILE --url https://127.0.0.1:8420`,
    );
    expect(next).not.toMatch(/--token [^-]/);
    // As printed, with the placeholders filled in: it gets as far as calling the (absent) panel.
    const tokenFile = join(work, 'token');
    await writeFile(tokenFile, 'wgfe_never-sent\n', { mode: 0o600 });
    const [command, ...args] = next
      .replace('https://PANEL', 'http://127.0.0.1:9')
      .replace('TOKEN_FILE', tokenFile)
      .split(' ');
    const ran = await runCommand(command, args);
    expect(ran.stderr).toMatch(/^wgfleet-agent enroll: enrollment failed: .*ECONNREFUSED/);

    const narrow = await install(await freshRoot(), ['--host', '127.0.0.1', '--listen', '127.0.0.1:8421']);
    expect(narrow.stdout).toContain('listens on       127.0.0.1:8421\n');
  });
});
