import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BatchResponse, Dump } from '@wgfleet/protocol';
import pino from 'pino';
import { startAgentInProcess, type RunningAgent } from './support/agent-process';
import { jsonLogStream } from './support/log-lines';
import { signedRequest } from './support/signed-request';
import {
  createWgInterface,
  generateKeyPair,
  randomKey,
  uniqueInterfaceName,
  type KeyPair,
  type WgInterface,
} from './support/wg-interface';

jest.setTimeout(60000);

const PEERS = 12;

/** The peers' configuration as WireGuard holds it, sorted, without counters. */
const configuration = (dump: Dump) =>
  dump.peers
    .map((peer) => [
      peer.public_key,
      peer.preshared_key_sha256,
      [...peer.allowed_ips].sort(),
      peer.persistent_keepalive,
    ])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));

describe('an agent whose interface came back empty (wireguard-go restarted without wg-quick)', () => {
  const name = uniqueInterfaceName('xrs');
  const keyPair: KeyPair = generateKeyPair();
  let wg: WgInterface;
  let agent: RunningAgent;
  let configDir: string;
  const logLines: Array<Record<string, unknown>> = [];
  let rawLog = '';
  const presharedKeys = Array.from({ length: PEERS }, () => randomKey());

  const call = <T = unknown>(method: string, target: string, body?: unknown) =>
    signedRequest<T>(agent.url, agent.secret, method, target, body === undefined ? {} : { body });
  const dump = async () => (await call<Dump>('GET', `/v1/wg/${name}/dump`)).json;

  async function startAgent(): Promise<void> {
    const logStream = jsonLogStream(logLines, (text) => (rawLog += text));
    agent = await startAgentInProcess({
      interfaces: [name],
      configDir,
      logger: pino({ level: 'info' }, logStream),
    });
  }

  /** Kills wireguard-go and starts it again with the same key and port: an empty interface. */
  async function restartInterface(options: { keyPair?: KeyPair } = {}): Promise<void> {
    const listenPort = wg.listenPort;
    await wg.destroy();
    wg = await createWgInterface(name, { keyPair: options.keyPair ?? keyPair, listenPort });
    expect(await wg.wg('show', name, 'peers')).toBe('');
  }

  const restoredLines = () =>
    logLines.filter((line) => typeof line.msg === 'string' && /restored its peers/.test(line.msg));

  beforeAll(async () => {
    configDir = await mkdtemp(join(tmpdir(), 'wgfleet-restore-'));
    wg = await createWgInterface(name, { keyPair });
    await startAgent();
    const answer = await call<BatchResponse>('POST', `/v1/wg/${name}/batch`, {
      upsert: presharedKeys.map((psk, i) => ({
        public_key: randomKey(),
        allowed_ips: [`10.173.1.${i + 2}/32`],
        persistent_keepalive: i % 2 === 0 ? 25 : 0,
        ...(i % 3 === 0 ? {} : { preshared_key: psk }),
      })),
    });
    expect(answer.json.results.every((result) => result.ok)).toBe(true);
  });

  afterAll(async () => {
    await agent?.stop();
    await wg?.destroy();
    if (configDir) await rm(configDir, { recursive: true, force: true });
  });

  it('restores every peer, preshared keys included, before it answers the first dump, and logs it', async () => {
    const before = configuration(await dump());
    expect(before).toHaveLength(PEERS);
    expect(before.filter((peer) => peer[1] !== null)).toHaveLength(PEERS - PEERS / 3);

    await restartInterface();
    expect(configuration(await dump())).toEqual(before);
    expect(restoredLines()).toEqual([
      expect.objectContaining({ level: 30, iface: name, restored_peers: PEERS }),
    ]);
    for (const psk of presharedKeys) expect(rawLog).not.toContain(psk);
  });

  it('restores before a write, so the change lands on the restored peers and the file keeps them all', async () => {
    await restartInterface();
    const added = randomKey();
    const answer = await call('POST', `/v1/wg/${name}/peers`, {
      public_key: added,
      allowed_ips: ['10.173.2.1/32'],
    });
    expect(answer.status).toBe(201);
    expect((await dump()).peers).toHaveLength(PEERS + 1);
    const persisted = await readFile(join(configDir, `${name}.conf`), 'utf8');
    expect(persisted.match(/^\[Peer\]/gm)).toHaveLength(PEERS + 1);
    await call('DELETE', `/v1/wg/${name}/peers/${Buffer.from(added, 'base64').toString('base64url')}`);
  });

  it('restores as the agent starts (a reboot: the agent and the interface both start again)', async () => {
    const before = configuration(await dump());
    await agent.stop();
    await restartInterface();
    const restoredBefore = restoredLines().length;
    await startAgent();
    // Read on the interface itself: the agent restored it before any request.
    const peers = (await wg.wg('show', name, 'peers')).split('\n').filter(Boolean);
    expect(peers).toHaveLength(PEERS);
    expect(restoredLines()).toHaveLength(restoredBefore + 1);
    expect(configuration(await dump())).toEqual(before);
  });

  it('never restores a hand-made partial change: the peers left are what the panel sees (drift)', async () => {
    const [removed] = (await dump()).peers;
    await wg.wg('set', name, 'peer', removed.public_key, 'remove');
    const after = await dump();
    expect(after.peers).toHaveLength(PEERS - 1);
    expect(after.peers.map((peer) => peer.public_key)).not.toContain(removed.public_key);
  });

  it('does not restore an interface that came back with another key', async () => {
    await restartInterface({ keyPair: generateKeyPair() });
    expect((await dump()).peers).toHaveLength(0);
    expect(logLines.some((line) => line.level === 40 && line.iface === name)).toBe(true);
  });

  it('never lets a persisted file wg refuses block the interface: the request goes on, the failure is logged', async () => {
    await writeFile(
      join(configDir, `${name}.conf`),
      `[Interface]\nPrivateKey = ${keyPair.privateKey}\n\n[Peer]\nPublicKey = not-a-key\nAllowedIPs = 10.173.3.1/32\n`,
      { mode: 0o600 },
    );
    await restartInterface();
    const errorsBefore = logLines.filter((line) => line.level === 50).length;
    const answer = await call<Dump>('GET', `/v1/wg/${name}/dump`);
    expect(answer.status).toBe(200);
    expect(answer.json.peers).toEqual([]);
    const added = await call('POST', `/v1/wg/${name}/peers`, {
      public_key: randomKey(),
      allowed_ips: ['10.173.3.2/32'],
    });
    expect(added.status).toBe(201);
    expect(logLines.filter((line) => line.level === 50).length).toBeGreaterThan(errorsBefore);
    expect(rawLog).not.toContain(keyPair.privateKey);
  });
});
