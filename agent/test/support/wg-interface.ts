/**
 * Real WireGuard interfaces for tests, made with wireguard-go (userspace) and driven with `wg`.
 *
 *   const wg0 = await createWgInterface(uniqueInterfaceName('wgt'));
 *   ... point an agent at wg0.name ...
 *   await wg0.destroy();
 *
 * Needs root, `wg` and `wireguard-go` on PATH. Interfaces can live in a network namespace
 * (`createNetworkNamespace`), e.g. to let two interfaces complete a real handshake over a veth pair.
 * Always destroy what you create (afterAll), also when a test fails.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyPair {
  privateKey: string;
  publicKey: string;
}

/** A fresh X25519 key pair in WireGuard's base64 form. */
export function generateKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  const raw = (jwk: { d?: string; x?: string }, part: 'd' | 'x') =>
    Buffer.from(jwk[part]!, 'base64url').toString('base64');
  return {
    privateKey: raw(privateKey.export({ format: 'jwk' }), 'd'),
    publicKey: raw(publicKey.export({ format: 'jwk' }), 'x'),
  };
}

/** 32 random bytes in base64: a preshared key, or the public key of a peer that never connects. */
export function randomKey(): string {
  return randomBytes(32).toString('base64');
}

/** A name no other test run uses: prefix + random suffix, within Linux's 15-character limit. */
export function uniqueInterfaceName(prefix = 'wgt'): string {
  return (prefix + randomBytes(6).toString('hex')).slice(0, 15);
}

/** Runs a command and resolves with its stdout; rejects with its stderr. */
export function run(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')}: ${stderr.trim() || error.message}`));
      else resolve(stdout);
    });
  });
}

/** Writes a secret to a 0600 file in a 0700 directory, hands its path to `use`, then removes it. */
export async function withSecretFile<T>(content: string, use: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'wgfleet-test-'));
  try {
    const path = join(dir, 'secret');
    await writeFile(path, content + '\n', { mode: 0o600 });
    return await use(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface NetworkNamespace {
  name: string;
  /** Runs a command inside the namespace. */
  exec(command: string, args: readonly string[]): Promise<string>;
  /**
   * Links the namespace to the host's with a veth pair: the host side gets `hostAddress`, the namespace
   * side `namespaceAddress` (both with `/prefix`, e.g. "10.250.1.1/30"). Removed with the namespace.
   */
  linkToHost(hostAddress: string, namespaceAddress: string): Promise<void>;
  destroy(): Promise<void>;
}

export async function createNetworkNamespace(name: string): Promise<NetworkNamespace> {
  await run('ip', ['netns', 'add', name]);
  const exec = (command: string, args: readonly string[]) =>
    run('ip', ['netns', 'exec', name, command, ...args]);
  await exec('ip', ['link', 'set', 'lo', 'up']);
  const hostVeth = `vh${name}`.slice(0, 15);
  const namespaceVeth = `vn${name}`.slice(0, 15);
  return {
    name,
    exec,
    async linkToHost(hostAddress, namespaceAddress) {
      await run('ip', [
        'link',
        'add',
        hostVeth,
        'type',
        'veth',
        'peer',
        'name',
        namespaceVeth,
        'netns',
        name,
      ]);
      await run('ip', ['addr', 'add', hostAddress, 'dev', hostVeth]);
      await run('ip', ['link', 'set', hostVeth, 'up']);
      await exec('ip', ['addr', 'add', namespaceAddress, 'dev', namespaceVeth]);
      await exec('ip', ['link', 'set', namespaceVeth, 'up']);
    },
    async destroy() {
      await run('ip', ['link', 'del', hostVeth]).catch(() => undefined);
      await run('ip', ['netns', 'del', name]).catch(() => undefined);
    },
  };
}

export interface WgInterfaceOptions {
  /** Create it inside this namespace (see createNetworkNamespace). */
  netns?: NetworkNamespace;
  /** Default: a fresh key pair. */
  keyPair?: KeyPair;
  /** Default 0: wireguard-go picks a free port, read back into `listenPort`. */
  listenPort?: number;
  /** Optional address for the interface itself, e.g. "10.251.0.1/24". */
  address?: string;
}

export interface WgInterface {
  name: string;
  netns: NetworkNamespace | null;
  publicKey: string;
  listenPort: number;
  /** Runs `wg <args>` where the interface lives. */
  wg(...args: string[]): Promise<string>;
  /** Deletes the link and stops its wireguard-go process. Safe to call twice. */
  destroy(): Promise<void>;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Starts wireguard-go for `name` in the foreground and sets a private key and listen port. */
export async function createWgInterface(
  name: string,
  options: WgInterfaceOptions = {},
): Promise<WgInterface> {
  const netns = options.netns ?? null;
  const inNamespace = (command: string, args: readonly string[]) =>
    netns ? netns.exec(command, args) : run(command, args);
  const [command, args] = netns
    ? ['ip', ['netns', 'exec', netns.name, 'wireguard-go', '-f', name]]
    : ['wireguard-go', ['-f', name]];
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD: '1', LOG_LEVEL: 'error' },
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const wg = (...wgArgs: string[]) => inNamespace('wg', wgArgs);
  let destroyed = false;
  // A crash would otherwise only show up later as "Unable to access interface".
  child.once('exit', (code, signal) => {
    if (!destroyed) process.stderr.write(`wireguard-go ${name} exited (${code ?? signal}): ${output}\n`);
  });
  const destroy = async () => {
    if (destroyed) return;
    destroyed = true;
    await inNamespace('ip', ['link', 'del', name]).catch(() => undefined);
    child.kill('SIGTERM');
    await waitForExit(child, 3000);
  };
  try {
    await waitUntil(
      () =>
        wg('show', name).then(
          () => true,
          () => false,
        ),
      5000,
      `wireguard-go ${name} did not start`,
    );
    const keyPair = options.keyPair ?? generateKeyPair();
    await withSecretFile(keyPair.privateKey, (file) =>
      wg('set', name, 'private-key', file, 'listen-port', String(options.listenPort ?? 0)),
    );
    if (options.address) await inNamespace('ip', ['addr', 'add', options.address, 'dev', name]);
    await inNamespace('ip', ['link', 'set', name, 'up']);
    const listenPort = Number((await wg('show', name, 'listen-port')).trim());
    return { name, netns, publicKey: keyPair.publicKey, listenPort, wg, destroy };
  } catch (error) {
    await destroy();
    throw error;
  }
}

/** Polls `check` until it holds or `timeoutMs` passes. */
export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  message: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
