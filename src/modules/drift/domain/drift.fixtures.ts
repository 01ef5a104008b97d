import { nodeAllowedIps } from '../../../common/domain/peer-routes';
/** Builders shared by the drift and reconcile domain specs. */
import { sha256Hex, type Dump, type DumpInterface, type DumpPeer } from '@wgfleet/protocol';
import type { DesiredNode, DesiredPeer, PanelDefaults } from '../../../common/domain/desired-state';
import { detectDrift, type DriftInput } from './drift-detector';
import type { NodeDriftReport } from './drift-report';

/** A valid WireGuard key (32 bytes) that differs per seed. */
export function testKey(seed: number): string {
  return Buffer.alloc(32, seed).toString('base64');
}

export const NODE_KEY = testKey(200);
export const CHECKED_AT = new Date('2025-03-01T12:00:00.000Z');

export const testDefaults: PanelDefaults = {
  dns: ['1.1.1.1'],
  mtu: null,
  persistent_keepalive: 25,
  endpoint_allowed_ips: ['0.0.0.0/0'],
  listen_port: 51820,
};

export function testNode(overrides: Partial<DesiredNode> = {}): DesiredNode {
  return {
    id: 'node-1',
    name: 'eu-west',
    interface: 'wg0',
    endpoint: 'eu-west.vpn.example.com',
    address_pool: '10.0.1.0/24',
    address_pool_v6: null,
    listen_port: 51820,
    public_key: NODE_KEY,
    enabled: true,
    override_listen_port: null,
    override_dns: null,
    override_mtu: null,
    override_keepalive: null,
    override_endpoint_allowed_ip: null,
    template_settings: null,
    ...overrides,
  };
}

/** Peer `name` with key testKey(seed) and tunnel address 10.0.1.<seed>/32. */
export function testPeer(name: string, seed: number, overrides: Partial<DesiredPeer> = {}): DesiredPeer {
  return {
    id: `peer-${name}`,
    node_id: 'node-1',
    name,
    public_key: testKey(seed),
    allowed_ips: [`10.0.1.${seed}/32`],
    routed_ips: [],
    endpoint: null,
    preshared_key_sha256: null,
    enabled: true,
    dns: null,
    mtu: null,
    persistent_keepalive: null,
    endpoint_allowed_ips: null,
    ...overrides,
  };
}

/** What the node reports for a desired peer applied faithfully with the test defaults. */
export function observedPeer(peer: DesiredPeer, overrides: Partial<DumpPeer> = {}): DumpPeer {
  return {
    public_key: peer.public_key,
    preshared_key_sha256: peer.preshared_key_sha256,
    endpoint: peer.endpoint ?? '198.51.100.7:40000',
    allowed_ips: nodeAllowedIps(peer),
    latest_handshake: 1_740_830_000,
    transfer_rx: 1024,
    transfer_tx: 2048,
    persistent_keepalive: peer.persistent_keepalive ?? testDefaults.persistent_keepalive,
    ...overrides,
  };
}

export function foreignPeer(seed: number, overrides: Partial<DumpPeer> = {}): DumpPeer {
  return {
    public_key: testKey(seed),
    preshared_key_sha256: null,
    endpoint: null,
    allowed_ips: [`10.0.1.${seed}/32`],
    latest_handshake: 0,
    transfer_rx: 0,
    transfer_tx: 0,
    persistent_keepalive: 0,
    ...overrides,
  };
}

export function testDump(peers: DumpPeer[], iface: Partial<DumpInterface> = {}): Dump {
  return {
    interface: { name: 'wg0', public_key: NODE_KEY, listen_port: 51820, fwmark: null, ...iface },
    peers,
  };
}

export function testPskHash(seed: number): string {
  return sha256Hex(testKey(seed));
}

/** detectDrift on the test node with test defaults, no key history and nothing pending unless given. */
export function scanOf(
  input: Pick<DriftInput, 'peers' | 'dump'> & Partial<Omit<DriftInput, 'peers' | 'dump'>>,
): NodeDriftReport {
  return detectDrift({
    node: testNode(),
    managedKeys: new Map(),
    pending: [],
    defaults: testDefaults,
    checkedAt: CHECKED_AT,
    ...input,
  });
}
