import type { Dump, DumpPeer, InterfaceUpdateRequest, WirePeer } from '@wgfleet/protocol';
import { BufferPool, type PooledBytes } from '../../../agent/src/util/buffer-pool';
import { DumpJsonWriter, findDumpPeer, parseDump } from '../../../agent/src/wg/dump-parser';
import { WgCommandError } from '../../../agent/src/wg/wg-cli';
import { WgDriver } from '../../../agent/src/wg/wg-driver';

/*
 * A SIMULATION of WireGuard for benchmarks only: interfaces and peers live in memory, and every read answers
 * text in the format of `wg show <iface> dump`, which the agent's real dump parser and encoder turn into
 * answers. Nothing here touches the kernel, wireguard-go or the `wg` tool; the real driver (WgDriver) keeps
 * its own tests on wireguard-go.
 */

/** wg's "none" of a dump field. */
const NONE = '(none)';

export interface SimulatedPeer {
  public_key: string;
  /** Base64, as wg prints it; null when the peer has none. */
  preshared_key: string | null;
  endpoint: string | null;
  allowed_ips: string[];
  persistent_keepalive: number;
  /** Unix seconds; 0 = never. */
  latest_handshake: number;
  transfer_rx: number;
  transfer_tx: number;
}

export interface SimulatedInterfaceSettings {
  privateKey: string;
  publicKey: string;
  listenPort: number;
  fwmark?: number | null;
  peers?: readonly WirePeer[];
}

interface SimulatedInterface {
  privateKey: string;
  publicKey: string;
  listenPort: number;
  fwmark: number | null;
  peers: Map<string, SimulatedPeer>;
  /** Peers that exchange traffic: their counters and handshakes move at every dump. */
  active: Set<string>;
}

/** A peer as `wg addconf` leaves it: fields absent from the section keep their value. */
function applySection(before: SimulatedPeer | undefined, peer: WirePeer): SimulatedPeer {
  return {
    public_key: peer.public_key,
    preshared_key:
      peer.preshared_key === undefined ? (before?.preshared_key ?? null) : (peer.preshared_key ?? null),
    endpoint: peer.endpoint ?? before?.endpoint ?? null,
    allowed_ips: [...peer.allowed_ips],
    persistent_keepalive: peer.persistent_keepalive ?? before?.persistent_keepalive ?? 0,
    latest_handshake: before?.latest_handshake ?? 0,
    transfer_rx: before?.transfer_rx ?? 0,
    transfer_tx: before?.transfer_tx ?? 0,
  };
}

/** One peer line of `wg show <iface> dump`: eight tab-separated fields. */
export function dumpPeerLine(peer: SimulatedPeer): string {
  return [
    peer.public_key,
    peer.preshared_key ?? NONE,
    peer.endpoint ?? NONE,
    peer.allowed_ips.length > 0 ? peer.allowed_ips.join(',') : NONE,
    peer.latest_handshake,
    peer.transfer_rx,
    peer.transfer_tx,
    peer.persistent_keepalive === 0 ? 'off' : peer.persistent_keepalive,
  ].join('\t');
}

/**
 * WgDriver's operations on in-memory interfaces (see the note at the top of this file). `activeShare` of the
 * peers set on an interface (chosen by key, so stable) behave like connected clients: each dump shows a
 * recent handshake and grown transfer counters, as a real fleet's scans see.
 */
export class SimulatedWgDriver extends WgDriver {
  private readonly interfaces = new Map<string, SimulatedInterface>();
  private readonly pool = new BufferPool(256 * 1024, 4);

  constructor(private readonly activeShare = 0) {
    super({ wgPath: '/nonexistent/simulated-wg' });
  }

  addInterface(name: string, settings: SimulatedInterfaceSettings): void {
    this.interfaces.set(name, {
      privateKey: settings.privateKey,
      publicKey: settings.publicKey,
      listenPort: settings.listenPort,
      fwmark: settings.fwmark ?? null,
      peers: new Map(),
      active: new Set(),
    });
    this.upsert(name, settings.peers ?? []);
  }

  /** The peers as they are now (for checks; the agent reads them through dumps). */
  peersOf(name: string): SimulatedPeer[] {
    return [...this.require(name).peers.values()];
  }

  /** The text `wg show <iface> dump` prints: the interface line, then one line per peer. */
  dumpText(name: string): Buffer {
    const iface = this.require(name);
    this.advanceTraffic(iface);
    const lines = [
      [
        iface.privateKey,
        iface.publicKey,
        iface.listenPort,
        iface.fwmark === null ? 'off' : iface.fwmark,
      ].join('\t'),
    ];
    for (const peer of iface.peers.values()) lines.push(dumpPeerLine(peer));
    return Buffer.from(lines.join('\n') + '\n', 'latin1');
  }

  override releasePooledBuffers(): void {
    this.pool.clear();
  }

  override async listInterfaces(): Promise<string[]> {
    return [...this.interfaces.keys()];
  }

  override async dump(name: string): Promise<Dump> {
    return parseDump(name, this.dumpText(name));
  }

  override async peer(name: string, key: string): Promise<DumpPeer | null> {
    return findDumpPeer(this.dumpText(name), key);
  }

  override async dumpJson(name: string): Promise<PooledBytes> {
    const writer = new DumpJsonWriter(name, this.pool);
    writer.write(this.dumpText(name));
    return writer.end();
  }

  override async showconf(name: string): Promise<string> {
    const iface = this.require(name);
    const sections = [`[Interface]\nListenPort = ${iface.listenPort}\nPrivateKey = ${iface.privateKey}\n`];
    for (const peer of iface.peers.values()) {
      const lines = ['[Peer]', `PublicKey = ${peer.public_key}`];
      if (peer.preshared_key) lines.push(`PresharedKey = ${peer.preshared_key}`);
      if (peer.allowed_ips.length > 0) lines.push(`AllowedIPs = ${peer.allowed_ips.join(', ')}`);
      if (peer.endpoint) lines.push(`Endpoint = ${peer.endpoint}`);
      if (peer.persistent_keepalive) lines.push(`PersistentKeepalive = ${peer.persistent_keepalive}`);
      sections.push(lines.join('\n') + '\n');
    }
    return sections.join('\n');
  }

  override async setPeers(name: string, peers: readonly WirePeer[]): Promise<void> {
    this.upsert(name, peers);
  }

  override async removePeers(name: string, keys: readonly string[]): Promise<void> {
    const iface = this.require(name);
    for (const key of keys) {
      iface.peers.delete(key);
      iface.active.delete(key);
    }
  }

  override async setInterface(name: string, settings: InterfaceUpdateRequest): Promise<void> {
    const iface = this.require(name);
    if (settings.listen_port !== undefined) iface.listenPort = settings.listen_port;
    if (settings.fwmark !== undefined) iface.fwmark = settings.fwmark === 0 ? null : settings.fwmark;
  }

  /** As `wg syncconf`: exactly the given peers afterwards, unchanged peers keep their session. */
  override async syncconf(
    name: string,
    settings: { listenPort: number; fwmark: number | null; peers: readonly WirePeer[] },
  ): Promise<void> {
    const iface = this.require(name);
    iface.listenPort = settings.listenPort;
    iface.fwmark = settings.fwmark;
    const wanted = new Set(settings.peers.map((peer) => peer.public_key));
    for (const key of iface.peers.keys()) if (!wanted.has(key)) iface.peers.delete(key);
    this.upsert(
      name,
      settings.peers.map((peer) => ({
        preshared_key: null,
        persistent_keepalive: 0,
        ...peer,
      })),
    );
  }

  private upsert(name: string, peers: readonly WirePeer[]): void {
    const iface = this.require(name);
    for (const peer of peers) {
      iface.peers.set(peer.public_key, applySection(iface.peers.get(peer.public_key), peer));
      if (this.isActive(peer.public_key)) iface.active.add(peer.public_key);
    }
  }

  private isActive(key: string): boolean {
    if (this.activeShare <= 0) return false;
    // A WireGuard key is 32 random-looking bytes: its first four pick the peer evenly.
    return Buffer.from(key, 'base64').readUInt32BE(0) / 2 ** 32 < this.activeShare;
  }

  private advanceTraffic(iface: SimulatedInterface): void {
    const now = Math.floor(Date.now() / 1000);
    for (const key of iface.active) {
      const peer = iface.peers.get(key)!;
      if (peer.endpoint === null) peer.endpoint = '198.51.100.7:51820';
      peer.latest_handshake = now - (now % 120);
      peer.transfer_rx += 4096;
      peer.transfer_tx += 16384;
    }
  }

  /** An unknown interface fails the way `wg` does, so the agent answers 404 as for a real one. */
  private require(name: string): SimulatedInterface {
    const iface = this.interfaces.get(name);
    if (!iface) throw new WgCommandError(`show ${name} dump`, `Unable to access interface: No such device`);
    return iface;
  }
}
