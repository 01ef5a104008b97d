import { createHash, randomBytes } from 'node:crypto';
import pino from 'pino';
import { buildApp } from '../../../agent/src/app';
import type { AgentConfig } from '../../../agent/src/config';
import { SimulatedWgDriver } from './simulated-wg-driver';

/*
 * A SIMULATED fleet for benchmarks: one real agent program (buildApp: routing, signature checks, response
 * signing, dump encoding) per node, each on its own loopback port, all in one process over one
 * SimulatedWgDriver. Peers are derived from a seed, so the benchmark computes the same desired peers
 * without the fleet sending a million of them over.
 */

/** Each node's address pool is a /21 (2,046 hosts): its seeded peers and those created through the API. */
const POOL_PREFIX = 21;
const POOL_SIZE = 2 ** (32 - POOL_PREFIX);

export interface FleetPeer {
  public_key: string;
  allowed_ips: string[];
}

/** 32 bytes derived from the seed, in WireGuard's base64: a key no real device holds. */
function derivedKey(seed: string, ...parts: Array<string | number>): string {
  return createHash('sha256')
    .update([seed, ...parts].join(':'))
    .digest('base64');
}

function ipv4(address: number): string {
  return [address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255].join('.');
}

/** Node `index`'s pool within 10.0.0.0/8. */
export function nodeAddressPool(index: number): string {
  return `${ipv4((10 << 24) + index * POOL_SIZE)}/${POOL_PREFIX}`;
}

export function nodeInterfaceName(index: number): string {
  return `wgfs${index}`;
}

/** Peer `peer` of node `node`: its key, and the pool's host `peer + 2` (the first host is the node's own). */
export function fleetPeer(seed: string, node: number, peer: number): FleetPeer {
  const address = (10 << 24) + node * POOL_SIZE + peer + 2;
  return { public_key: derivedKey(seed, 'peer', node, peer), allowed_ips: [`${ipv4(address)}/32`] };
}

export interface FleetOptions {
  nodes: number;
  /** Each node's interface starts with peers `firstPeer` to `peersPerNode - 1` (the rest come through the API). */
  peersPerNode: number;
  firstPeer: number;
  seed: string;
  /** Share of peers with traffic (handshakes and counters that move between scans). */
  activeShare: number;
  /** Every `driftedEvery`-th node (0: none) also runs peers the panel does not know: it is in drift. */
  driftedEvery: number;
}

/** How many unknown peers a drifted node runs: a report of a few kilobytes. */
export const UNKNOWN_PEERS_PER_DRIFTED_NODE = 20;

export function isDriftedNode(index: number, driftedEvery: number): boolean {
  return driftedEvery > 0 && index % driftedEvery === 0;
}

/** The peers node `index`'s interface starts with. */
export function initialPeers(options: FleetOptions, index: number): FleetPeer[] {
  const last =
    options.peersPerNode + (isDriftedNode(index, options.driftedEvery) ? UNKNOWN_PEERS_PER_DRIFTED_NODE : 0);
  return Array.from({ length: last - options.firstPeer }, (_, offset) =>
    fleetPeer(options.seed, index, options.firstPeer + offset),
  );
}

export interface SimulatedAgent {
  url: string;
  interface: string;
}

export interface SimulatedFleet {
  secret: string;
  agents: SimulatedAgent[];
  driver: SimulatedWgDriver;
  stop(): Promise<void>;
}

/** Starts one agent per node, each with its interface already holding the node's initial peers. */
export async function startSimulatedFleet(options: FleetOptions): Promise<SimulatedFleet> {
  const secret = randomBytes(32).toString('hex');
  const driver = new SimulatedWgDriver(options.activeShare);
  const logger = pino({ level: 'silent' });
  const apps: Array<ReturnType<typeof buildApp>> = [];
  const agents: SimulatedAgent[] = [];
  try {
    for (let node = 0; node < options.nodes; node++) {
      const name = nodeInterfaceName(node);
      driver.addInterface(name, {
        privateKey: derivedKey(options.seed, 'private', node),
        publicKey: derivedKey(options.seed, 'public', node),
        listenPort: 51820,
        // Peers that set no keepalive get the panel's default (PANEL_DEFAULT_KEEPALIVE, 25 s) on their node.
        peers: initialPeers(options, node).map((peer) => ({ ...peer, persistent_keepalive: 25 })),
      });
      const config: AgentConfig = {
        secret,
        host: '127.0.0.1',
        port: 0,
        interfaces: [name],
        tls: null,
        maxSkewS: 300,
        logLevel: 'silent',
        configDir: null,
      };
      const app = buildApp(config, driver, { logger });
      apps.push(app);
      agents.push({ url: await app.listen({ host: '127.0.0.1', port: 0 }), interface: name });
    }
  } catch (error) {
    await Promise.all(apps.map((app) => app.close()));
    throw error;
  }
  return {
    secret,
    agents,
    driver,
    stop: async () => {
      await Promise.all(apps.map((app) => app.close()));
    },
  };
}
