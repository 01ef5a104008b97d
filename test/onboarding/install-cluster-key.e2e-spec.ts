/**
 * `install.sh --private-key-file`: cluster members share one interface key, installed by the operator. The key
 * is checked before anything is installed, kept root-only, written into wg-quick's file, and never printed.
 * Installs into temporary roots; no interface is created.
 */
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from './support/node-process';

jest.setTimeout(120000);

const RELEASE_DIR = join(__dirname, '..', '..', 'agent', 'release');
const RELEASE = join(RELEASE_DIR, 'wgfleet-agent');

describe('install.sh --private-key-file', () => {
  let work: string;

  beforeAll(async () => {
    const built = await runCommand(process.execPath, [join(RELEASE_DIR, 'build-release.mjs')]);
    if (built.code !== 0) throw new Error(`building the release failed: ${built.stderr}`);
    work = await mkdtemp(join(tmpdir(), 'wgcm-install-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  const install = (root: string, keyFile: string) =>
    runCommand('sh', [
      join(RELEASE, 'install.sh'),
      '--root',
      root,
      '--no-systemd',
      '--no-tls',
      '--host',
      '127.0.0.1',
      '--private-key-file',
      keyFile,
    ]);

  it('installs the shared key root-only, into wg-quick’s file, and shows only its public key', async () => {
    const root = await mkdtemp(join(work, 'root-'));
    const privateKey = (await runCommand('wg', ['genkey'])).stdout.trim();
    const publicKey = (await runCommand('sh', ['-c', `echo ${privateKey} | wg pubkey`])).stdout.trim();
    const keyFile = join(work, 'cluster.key');
    await writeFile(keyFile, `${privateKey}\n`, { mode: 0o600 });
    await mkdir(join(root, 'etc', 'wireguard'), { recursive: true });
    await writeFile(
      join(root, 'etc', 'wireguard', 'wg0.conf'),
      '[Interface]\nPrivateKey = bm90IHRoZSBjbHVzdGVyIGtleSwgYW4gb2xkIG9uZSEhIQ==\nListenPort = 51820\n',
    );

    const outcome = await install(root, keyFile);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain(`public key       ${publicKey}`);
    expect(outcome.stdout + outcome.stderr).not.toContain(privateKey);
    const installed = join(root, 'etc', 'wgfleet-agent', 'wg0.key');
    expect((await readFile(installed, 'utf8')).trim()).toBe(privateKey);
    expect((await stat(installed)).mode & 0o777).toBe(0o600);
    const wgQuick = await readFile(join(root, 'etc', 'wireguard', 'wg0.conf'), 'utf8');
    expect(wgQuick).toBe(`[Interface]\nPrivateKey = ${privateKey}\nListenPort = 51820\n`);
  });

  it('refuses a file that holds no private key, and installs nothing', async () => {
    const root = await mkdtemp(join(work, 'root-'));
    const keyFile = join(work, 'not-a.key');
    await writeFile(keyFile, 'not a key\n');
    const outcome = await install(root, keyFile);
    expect(outcome.code).not.toBe(0);
    expect(outcome.stderr).toContain('does not hold a WireGuard private key');
    expect(existsSync(join(root, 'opt', 'wgfleet-agent'))).toBe(false);
  });
});
