import { createHash } from 'node:crypto';
import type { Dump, DumpPeer } from '@wgfleet/protocol';
import { normaliseCidrSet } from '../../../common/domain/cidr';
import type {
  DesiredNode,
  DesiredPeer,
  ManagedPeerRef,
  PanelDefaults,
} from '../../../common/domain/desired-state';
import {
  effectiveInterfaceSettings,
  effectiveKeepalive,
  effectiveListenPort,
} from '../../../common/domain/effective-settings';
import { nodeAllowedIps } from '../../../common/domain/peer-routes';
import { endpointMatches } from './endpoint-match';
import type {
  InterfaceMismatch,
  MismatchedPeer,
  MissingPeer,
  NodeDriftReport,
  OrphanedPeer,
  PeerFieldMismatch,
  PendingPeer,
  UnknownPeer,
} from './drift-report';

export interface DriftInput {
  node: DesiredNode;
  /** Current peers of the node, enabled and disabled. */
  peers: DesiredPeer[];
  /** Public keys the node's event log shows the panel once managed; current peers' keys may be left out. */
  managedKeys: ReadonlyMap<string, ManagedPeerRef>;
  /** Peers whose latest change is not applied yet: left out of every drift list and listed as pending. */
  pending: readonly PendingPeer[];
  dump: Dump;
  defaults: PanelDefaults;
  checkedAt: Date;
}

export function detectDrift(input: DriftInput): NodeDriftReport {
  const { node, peers, managedKeys, pending, dump, defaults } = input;
  const pendingKeys = new Set(pending.map((peer) => peer.public_key));
  const desiredByKey = new Map(peers.map((peer) => [peer.public_key, peer]));
  const observedByKey = new Map(dump.peers.map((peer) => [peer.public_key, peer]));
  const enabledPeers = peers.filter((peer) => peer.enabled);

  const missing: MissingPeer[] = [];
  const mismatched: MismatchedPeer[] = [];
  for (const peer of enabledPeers) {
    if (pendingKeys.has(peer.public_key)) continue;
    const ref = { peer_id: peer.id, name: peer.name, public_key: peer.public_key };
    const observed = observedByKey.get(peer.public_key);
    if (!observed) {
      missing.push({ ...ref, allowed_ips: nodeAllowedIps(peer) });
      continue;
    }
    const keepalive = effectiveKeepalive(peer, node, defaults);
    const mismatches = comparePeer(peer, keepalive, observed);
    if (mismatches.length > 0) mismatched.push({ ...ref, mismatches });
  }

  const orphaned: OrphanedPeer[] = [];
  const unknown: UnknownPeer[] = [];
  for (const observed of dump.peers) {
    if (pendingKeys.has(observed.public_key)) continue;
    const desired = desiredByKey.get(observed.public_key);
    if (desired?.enabled) continue;
    // A current (disabled) peer counts as managed even if the caller's key history missed it.
    const managed = desired
      ? { peer_id: desired.id, name: desired.name }
      : managedKeys.get(observed.public_key);
    const allowedIps = normaliseCidrSet(observed.allowed_ips);
    if (managed) {
      orphaned.push({ ...managed, public_key: observed.public_key, allowed_ips: allowedIps });
    } else {
      unknown.push({
        public_key: observed.public_key,
        allowed_ips: allowedIps,
        endpoint: observed.endpoint,
        persistent_keepalive: observed.persistent_keepalive,
      });
    }
  }

  const interfaceMismatches = compareInterface(node, defaults, dump);
  const hasDrift =
    missing.length + mismatched.length + orphaned.length + unknown.length + interfaceMismatches.length > 0;
  return {
    node_id: node.id,
    node_name: node.name,
    checked_at: input.checkedAt.toISOString(),
    status: hasDrift ? 'drift' : 'in_sync',
    has_drift: hasDrift,
    summary: {
      expected: enabledPeers.length,
      actual: dump.peers.length,
      missing: missing.length,
      mismatched: mismatched.length,
      orphaned: orphaned.length,
      unknown: unknown.length,
      interface: interfaceMismatches.length,
      pending: pending.length,
    },
    missing_peers: missing.sort(byNameThenKey),
    mismatched_peers: mismatched.sort(byNameThenKey),
    orphaned_peers: orphaned.sort(byNameThenKey),
    unknown_peers: unknown.sort(byKey),
    interface_mismatches: interfaceMismatches,
    pending_peers: [...pending].sort(byNameThenKey),
  };
}

/**
 * The report for a node whose agent could not be asked or refused: status unknown, never in sync. `expected`
 * is still the panel's count of enabled peers, so a node that is down does not read as having none.
 */
export function unreachableReport(
  node: { id: string; name: string },
  error: string,
  checkedAt: Date,
  expected: number,
): NodeDriftReport {
  return {
    node_id: node.id,
    node_name: node.name,
    checked_at: checkedAt.toISOString(),
    status: 'unknown',
    has_drift: false,
    error,
    summary: {
      expected,
      actual: 0,
      missing: 0,
      mismatched: 0,
      orphaned: 0,
      unknown: 0,
      interface: 0,
      pending: 0,
    },
    missing_peers: [],
    mismatched_peers: [],
    orphaned_peers: [],
    unknown_peers: [],
    interface_mismatches: [],
    pending_peers: [],
  };
}

/**
 * SHA-256 (hex) of what is drifted, independent of list order, scan time, counters, handshakes, peer names and
 * endpoints (clients roam), so the same drift seen twice has the same fingerprint; null when there is no drift.
 */
export function driftFingerprint(report: NodeDriftReport): string | null {
  if (report.status !== 'drift') return null;
  const content = {
    missing: canonicalList(report.missing_peers.map((peer) => [peer.public_key, sorted(peer.allowed_ips)])),
    mismatched: canonicalList(
      report.mismatched_peers.map((peer) => [
        peer.public_key,
        canonicalList(
          peer.mismatches.map(({ field, expected, actual }) => [
            field,
            canonicalValue(expected),
            canonicalValue(actual),
          ]),
        ),
      ]),
    ),
    orphaned: canonicalList(report.orphaned_peers.map((peer) => [peer.public_key, sorted(peer.allowed_ips)])),
    unknown: canonicalList(report.unknown_peers.map((peer) => [peer.public_key, sorted(peer.allowed_ips)])),
    interface: canonicalList(
      report.interface_mismatches.map(({ field, expected, actual }) => [field, expected, actual]),
    ),
  };
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

function comparePeer(peer: DesiredPeer, keepalive: number, observed: DumpPeer): PeerFieldMismatch[] {
  const mismatches: PeerFieldMismatch[] = [];
  const expectedIps = nodeAllowedIps(peer);
  const actualIps = normaliseCidrSet(observed.allowed_ips);
  if (expectedIps.join(',') !== actualIps.join(',')) {
    mismatches.push({ field: 'allowed_ips', expected: expectedIps, actual: actualIps });
  }
  if (peer.endpoint !== null && !endpointMatches(peer.endpoint, observed.endpoint)) {
    mismatches.push({ field: 'endpoint', expected: peer.endpoint, actual: observed.endpoint });
  }
  if (keepalive !== observed.persistent_keepalive) {
    mismatches.push({
      field: 'persistent_keepalive',
      expected: keepalive,
      actual: observed.persistent_keepalive,
    });
  }
  const expectedPsk = peer.preshared_key_sha256?.toLowerCase() ?? null;
  const actualPsk = observed.preshared_key_sha256?.toLowerCase() ?? null;
  if (expectedPsk !== actualPsk) {
    mismatches.push({
      field: 'preshared_key',
      expected: expectedPsk ? 'present' : 'absent',
      actual: !actualPsk ? 'absent' : expectedPsk ? 'different' : 'present',
    });
  }
  return mismatches;
}

function compareInterface(node: DesiredNode, defaults: PanelDefaults, dump: Dump): InterfaceMismatch[] {
  const mismatches: InterfaceMismatch[] = [];
  const listenPort = effectiveListenPort(node, defaults);
  if (listenPort !== dump.interface.listen_port) {
    mismatches.push({ field: 'listen_port', expected: listenPort, actual: dump.interface.listen_port });
  }
  if (node.public_key && node.public_key !== dump.interface.public_key) {
    mismatches.push({ field: 'public_key', expected: node.public_key, actual: dump.interface.public_key });
  }
  const wanted = effectiveInterfaceSettings(node);
  const mtu = dump.interface.mtu ?? null;
  if (wanted.mtu !== null && wanted.mtu !== mtu) {
    mismatches.push({ field: 'interface_mtu', expected: wanted.mtu, actual: mtu });
  }
  // wg shows a cleared mark as "off" (null), which is what fwmark 0 asks for.
  const fwmark = dump.interface.fwmark ?? 0;
  if (wanted.fwmark !== null && wanted.fwmark !== fwmark) {
    mismatches.push({ field: 'fwmark', expected: wanted.fwmark, actual: dump.interface.fwmark });
  }
  return mismatches;
}

function byKey(a: { public_key: string }, b: { public_key: string }): number {
  return compareText(a.public_key, b.public_key);
}

function byNameThenKey(
  a: { name: string; public_key: string },
  b: { name: string; public_key: string },
): number {
  return compareText(a.name, b.name) || byKey(a, b);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sorted(values: readonly string[]): string[] {
  return [...values].sort();
}

function canonicalValue(value: string | number | string[] | null): string | number | string[] | null {
  return Array.isArray(value) ? sorted(value) : value;
}

/** Serialises each item and sorts, so the list's order does not matter. */
function canonicalList(items: unknown[]): string[] {
  return items.map((item) => JSON.stringify(item)).sort();
}
