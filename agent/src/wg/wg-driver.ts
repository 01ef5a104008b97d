import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dump, DumpPeer, InterfaceUpdateRequest, WirePeer } from '@wgfleet/protocol';
import { BufferPool, type PooledBytes } from '../util/buffer-pool';
import { renderPeerSection, renderSyncconfRest } from './conf-writer';
import { DumpJsonWriter, findDumpPeer, parseDump } from './dump-parser';
import { execIp, execWg, execWgRaw, execWgToFile, streamWg } from './wg-cli';

export interface WgDriverOptions {
  /** The wg binary; default "wg" from PATH. */
  wgPath?: string;
}

/** Runs `fn` with a fresh 0700 directory for secret files, removed afterwards whatever happens. */
async function withPrivateDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'wgfleet-agent-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Talks to WireGuard through the `wg` tool, one process per call, always with argument arrays. Keys that
 * must be secret travel in 0600 files inside a fresh 0700 directory, removed afterwards. No locking here: WgService serialises writes.
 */
export class WgDriver {
  private readonly wg: string;
  // Enough for one 10,000-peer dump (about 3 MB) to be written into reused memory.
  private readonly jsonBuffers = new BufferPool(256 * 1024, 16);

  constructor(options: WgDriverOptions = {}) {
    this.wg = options.wgPath ?? 'wg';
  }

  /** Lets go of the buffers kept for dumps (the next large dump allocates again). */
  releasePooledBuffers(): void {
    this.jsonBuffers.clear();
  }

  async listInterfaces(): Promise<string[]> {
    const output = await execWg(this.wg, ['show', 'interfaces']);
    return output.split(/\s+/).filter((name) => name !== '');
  }

  async dump(iface: string): Promise<Dump> {
    const mtu = await this.mtu(iface);
    return parseDump(iface, await execWgRaw(this.wg, ['show', iface, 'dump']), mtu);
  }

  /**
   * The link's MTU, which `wg` does not show, from sysfs (one small read, no process); null when unreadable.
   * Inside a network namespace sysfs must be the namespace's, as `ip netns exec` mounts it.
   */
  async mtu(iface: string): Promise<number | null> {
    try {
      const value = Number((await readFile(`/sys/class/net/${iface}/mtu`, 'latin1')).trim());
      return Number.isSafeInteger(value) ? value : null;
    } catch {
      return null;
    }
  }

  /** One peer as the dump shows it, or null: cheaper than a whole dump on a large interface. */
  async peer(iface: string, key: string): Promise<DumpPeer | null> {
    return findDumpPeer(await execWgRaw(this.wg, ['show', iface, 'dump']), key);
  }

  /** The dump as JSON bytes, converted while wg's output streams in. */
  async dumpJson(iface: string): Promise<PooledBytes> {
    const writer = new DumpJsonWriter(iface, this.jsonBuffers, await this.mtu(iface));
    await streamWg(this.wg, ['show', iface, 'dump'], (piece) => writer.write(piece));
    return writer.end();
  }

  async showconf(iface: string): Promise<string> {
    return execWg(this.wg, ['showconf', iface]);
  }

  /**
   * Adds or updates every peer with ONE `wg addconf` of a 0600 file (preshared keys included: one file to
   * write, not one per key). Each peer's allowed IPs are replaced by its list.
   */
  async setPeers(iface: string, peers: readonly WirePeer[]): Promise<void> {
    const secrets = peers.flatMap((peer) => (peer.preshared_key ? [peer.preshared_key] : []));
    await this.addConfig(iface, peers.map(renderPeerSection).join('\n'), secrets);
  }

  /** `wg addconf` of [Peer] sections, through a 0600 file; `secrets` are blanked out of wg's errors. */
  async addConfig(iface: string, peerSections: string, secrets: readonly string[]): Promise<void> {
    await withPrivateDir(async (dir) => {
      const file = join(dir, 'peers.conf');
      await writeFile(file, peerSections, { mode: 0o600, flag: 'wx' });
      await execWg(this.wg, ['addconf', iface, file], secrets);
    });
  }

  /** Removes every listed peer in ONE `wg set` call; removing an absent peer is not an error for wg. */
  async removePeers(iface: string, keys: readonly string[]): Promise<void> {
    await execWg(this.wg, ['set', iface, ...keys.flatMap((key) => ['peer', key, 'remove'])]);
  }

  /** `wg set` for the listen port and fwmark (0 clears it), `ip link set` for the MTU; only what is given. */
  async setInterface(iface: string, settings: InterfaceUpdateRequest): Promise<void> {
    const wgArgs = [
      ...(settings.listen_port === undefined ? [] : ['listen-port', String(settings.listen_port)]),
      ...(settings.fwmark === undefined ? [] : ['fwmark', String(settings.fwmark)]),
    ];
    if (wgArgs.length > 0) await execWg(this.wg, ['set', iface, ...wgArgs]);
    if (settings.mtu !== undefined) await execIp(['link', 'set', 'dev', iface, 'mtu', String(settings.mtu)]);
  }

  /**
   * Replaces the interface's peers with `peers` through `wg syncconf`, which leaves sessions of unchanged
   * peers alone. The config needs the interface's private key: wg writes it into the 0600 file itself.
   */
  async syncconf(
    iface: string,
    settings: { listenPort: number; fwmark: number | null; peers: readonly WirePeer[] },
  ) {
    const secrets = settings.peers.flatMap((peer) => (peer.preshared_key ? [peer.preshared_key] : []));
    await withPrivateDir(async (dir) => {
      const file = join(dir, `${iface}.conf`);
      // Append mode, so what wg writes through the shared descriptor and what we write stay in order.
      const handle = await open(file, 'ax', 0o600);
      try {
        await handle.write('[Interface]\nPrivateKey = ');
        await execWgToFile(this.wg, ['show', iface, 'private-key'], handle.fd);
        await handle.write(renderSyncconfRest(settings));
      } finally {
        await handle.close();
      }
      await execWg(this.wg, ['syncconf', iface, file], secrets);
    });
  }
}
