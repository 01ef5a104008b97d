import { createHash } from 'node:crypto';
import type { Dump, DumpPeer } from '@wgfleet/protocol';
import { normaliseCidrSet } from '../../../common/domain/cidr';
import type { DesiredNode, DesiredPeer, PanelDefaults } from '../../../common/domain/desired-state';
import type { Divergence } from '../../drift/domain/drift-report';
import type { InterfaceMismatch, NodeDriftReport, PeerFieldMismatch } from '../../drift/domain/drift-report';
import {
  effectiveInterfaceSettings,
  effectiveKeepalive,
  effectiveListenPort,
} from '../../../common/domain/effective-settings';
import { nodeAllowedIps } from '../../../common/domain/peer-routes';

export const RECONCILE_MODES = ['batch', 'peer', 'syncconf'] as const;
export type ReconcileMode = (typeof RECONCILE_MODES)[number];

export interface ReconcileOptions {
  reconcile_missing: boolean;
  /** Repairs mismatched peers and the interface listen port. */
  reconcile_mismatched: boolean;
  remove_orphaned: boolean;
  remove_unknown: boolean;
  mode: ReconcileMode;
  dry_run: boolean;
  plan_id?: string;
  /** Lets a reconcile leave a node that has peers with none (see planLeavesNodeEmpty). */
  allow_empty: boolean;
}

export const DEFAULT_RECONCILE_OPTIONS: Readonly<ReconcileOptions> = Object.freeze({
  reconcile_missing: true,
  reconcile_mismatched: true,
  remove_orphaned: true,
  remove_unknown: false,
  mode: 'batch',
  dry_run: false,
  allow_empty: false,
});

/** The given options over the defaults; a field given as undefined keeps its default. */
export function reconcileOptions(given: Partial<ReconcileOptions> = {}): ReconcileOptions {
  const defined = Object.entries(given).filter(([, value]) => value !== undefined);
  return { ...DEFAULT_RECONCILE_OPTIONS, ...Object.fromEntries(defined) };
}

/**
 * A peer as the node should have it, with every effective setting. Carries no secret: the apply step fetches
 * the preshared key by peer_id when has_preshared_key is set.
 */
export interface PlannedPeer {
  peer_id: string;
  name: string;
  public_key: string;
  /** Its addresses and routed networks: normalised, sorted. */
  allowed_ips: string[];
  /** Effective value. */
  persistent_keepalive: number;
  has_preshared_key: boolean;
  /** host:port the panel sets; absent when it sets none. */
  endpoint?: string;
}

/**
 * A drift mismatch as a plan reads it (docs/API.md): `from` is the node's value now (the mismatch's `actual`),
 * `to` its value after the repair (`expected`). The drift names stay for scripts that read them.
 */
export type PlannedChange<M extends { expected: unknown; actual: unknown }> = M extends unknown
  ? M & { from: M['actual']; to: M['expected'] }
  : never;

export interface PlannedUpdate extends PlannedPeer {
  changes: PlannedChange<PeerFieldMismatch>[];
}

/** A peer on the node that the panel does not want there: removed by the plan, or kept by its options. */
export interface PlannedRemoval {
  public_key: string;
  peer_id: string | null;
  name: string | null;
  reason: 'orphaned' | 'unknown';
}

/** What a repair sets on the interface; its public key is never "fixed". */
export type PlannedInterfaceChange = PlannedChange<Exclude<InterfaceMismatch, { field: 'public_key' }>>;

/** Why a plan leaves a peer as it is: the one reason there is so far. */
export const CANNOT_RESTORE_REASON = 'the panel does not hold its preshared key';

/**
 * A peer the node lacks (or has with another preshared key) whose preshared key the panel knows only by its
 * hash (it was adopted): the panel cannot give the node the key, so the plan lists it instead of an add or
 * update, and applying the plan never attempts it. The way out: set a new key, or restore the peer on the node.
 */
export interface UnrestorablePeer {
  peer_id: string;
  name: string;
  public_key: string;
  /** What the plan would have done with a key it holds. */
  operation: 'add' | 'update';
  reason: typeof CANNOT_RESTORE_REASON;
}

export interface ReconcilePlan {
  add: PlannedPeer[];
  update: PlannedUpdate[];
  remove: PlannedRemoval[];
  interface: PlannedInterfaceChange[];
  cannot_restore: UnrestorablePeer[];
  /**
   * Unknown and orphaned peers the options leave on the node: the node still drifts after this plan, so
   * `wgfleet drift` keeps reporting them until they are adopted or removed.
   */
  kept: PlannedRemoval[];
}

export interface PlanInput {
  divergence: Divergence;
  /** The node's current peers, enabled and disabled. */
  desiredPeers: DesiredPeer[];
  node: DesiredNode;
  defaults: PanelDefaults;
  options: ReconcileOptions;
  /**
   * Ids of peers whose preshared key the panel holds only as a hash. Given when the plan comes from the node's
   * dump: a blind sync leaves the node's key alone, so it needs none.
   */
  presharedKeyUnheld?: ReadonlySet<string>;
}

/**
 * What a reconcile would change, from how the node diverges (a scan's findings, or what sync changed). An interface public key mismatch is never
 * planned: the panel does not hold node private keys.
 */
export function planReconcile(input: PlanInput): ReconcilePlan {
  const { divergence, desiredPeers, node, defaults, options } = input;
  const peerById = new Map(desiredPeers.map((peer) => [peer.id, peer]));
  const planned = (peerId: string) => plannedPeer(requirePeer(peerById, peerId), node, defaults);
  const unheld = input.presharedKeyUnheld ?? new Set<string>();
  const cannotRestore: UnrestorablePeer[] = [];
  /** False (and listed) when carrying the peer out would need a preshared key the panel does not hold. */
  const restorable = (peer: PlannedPeer, operation: UnrestorablePeer['operation'], touchesKey: boolean) => {
    if (!touchesKey || !peer.has_preshared_key || !unheld.has(peer.peer_id)) return true;
    const { peer_id, name, public_key } = peer;
    cannotRestore.push({ peer_id, name, public_key, operation, reason: CANNOT_RESTORE_REASON });
    return false;
  };

  const add = options.reconcile_missing
    ? divergence.missing_peers
        .map((missing) => planned(missing.peer_id))
        .filter((peer) => restorable(peer, 'add', true))
    : [];
  const update = options.reconcile_mismatched
    ? divergence.mismatched_peers
        .map((mismatched) => ({
          ...planned(mismatched.peer_id),
          changes: mismatched.mismatches.map(plannedChange),
        }))
        .filter((peer) =>
          restorable(
            peer,
            'update',
            peer.changes.some((change) => change.field === 'preshared_key'),
          ),
        )
    : [];
  const unwanted: PlannedRemoval[] = [
    ...divergence.orphaned_peers.map(({ public_key, peer_id, name }) => ({
      public_key,
      peer_id,
      name,
      reason: 'orphaned' as const,
    })),
    ...divergence.unknown_peers.map(({ public_key }) => ({
      public_key,
      peer_id: null,
      name: null,
      reason: 'unknown' as const,
    })),
  ];
  const removes = (peer: PlannedRemoval) =>
    peer.reason === 'orphaned' ? options.remove_orphaned : options.remove_unknown;
  const interfaceChanges = options.reconcile_mismatched
    ? divergence.interface_mismatches.flatMap((mismatch) =>
        mismatch.field === 'public_key' ? [] : [plannedChange(mismatch)],
      )
    : [];
  return {
    add,
    update,
    remove: unwanted.filter(removes),
    interface: interfaceChanges,
    kept: unwanted.filter((peer) => !removes(peer)),
    cannot_restore: cannotRestore,
  };
}

function plannedChange<M extends { expected: unknown; actual: unknown }>(mismatch: M): PlannedChange<M> {
  return { ...mismatch, from: mismatch.actual, to: mismatch.expected } as PlannedChange<M>;
}

/** Ids of the peers whose preshared key the panel holds no sealed copy of (adopted ones): PlanInput's set. */
export function presharedKeysUnheld(
  peers: readonly { id: string; presharedKeySealed: string | null }[],
): Set<string> {
  return new Set(peers.filter((peer) => peer.presharedKeySealed === null).map((peer) => peer.id));
}

/** True when the plan changes nothing on the node (peers it cannot restore are left alone). */
export function isEmptyPlan(plan: ReconcilePlan): boolean {
  return plan.add.length + plan.update.length + plan.remove.length + plan.interface.length === 0;
}

/**
 * True when applying would take a node that has peers down to none: the allow_empty guard. In batch and peer
 * mode the node keeps what the plan does not remove; in syncconf mode it gets exactly syncconfPeerSet.
 */
export function planLeavesNodeEmpty(
  plan: ReconcilePlan,
  report: NodeDriftReport,
  options: ReconcileOptions,
): boolean {
  const { summary } = report;
  const remaining =
    options.mode === 'syncconf'
      ? summary.expected -
        (options.reconcile_missing ? 0 : summary.missing) +
        (options.remove_unknown ? 0 : summary.unknown) +
        (options.remove_orphaned ? 0 : summary.orphaned)
      : summary.actual + plan.add.length - plan.remove.length;
  return summary.actual > 0 && remaining === 0;
}

/** A peer a syncconf carries over as the node has it; the agent keeps its current preshared key. */
export interface KeptPeer {
  public_key: string;
  allowed_ips: string[];
  persistent_keepalive: number;
  endpoint: string | null;
  /** unknown/orphaned: not removed by the options; unreconciled: mismatched but reconcile_mismatched is off. */
  reason: 'unknown' | 'orphaned' | 'unreconciled';
}

export type SyncconfPeer = { source: 'desired'; peer: PlannedPeer } | { source: 'kept'; peer: KeptPeer };

/**
 * The complete peer list a syncconf reconcile sends: every enabled desired peer as desired (a missing one only
 * when reconcile_missing; a mismatched one kept as observed when reconcile_mismatched is off), plus unknown
 * peers unless remove_unknown and orphaned peers unless remove_orphaned. A non-desired peer whose removal is
 * still pending is dropped, which is what its pending change does anyway.
 */
export function syncconfPeerSet(input: PlanInput & { dump: Dump }): SyncconfPeer[] {
  const { divergence, desiredPeers, node, defaults, options, dump } = input;
  const observedByKey = new Map(dump.peers.map((peer) => [peer.public_key, peer]));
  const kept = (publicKey: string, reason: KeptPeer['reason']): SyncconfPeer => ({
    source: 'kept',
    peer: keptPeer(requireObserved(observedByKey, publicKey), reason),
  });
  const missingIds = new Set(divergence.missing_peers.map((peer) => peer.peer_id));
  const mismatchedIds = new Set(divergence.mismatched_peers.map((peer) => peer.peer_id));

  const desired = desiredPeers
    .filter((peer) => peer.enabled && (options.reconcile_missing || !missingIds.has(peer.id)))
    .map((peer) =>
      mismatchedIds.has(peer.id) && !options.reconcile_mismatched
        ? kept(peer.public_key, 'unreconciled')
        : { source: 'desired' as const, peer: plannedPeer(peer, node, defaults) },
    );
  const unknown = options.remove_unknown
    ? []
    : divergence.unknown_peers.map((peer) => kept(peer.public_key, 'unknown'));
  const orphaned = options.remove_orphaned
    ? []
    : divergence.orphaned_peers.map((peer) => kept(peer.public_key, 'orphaned'));
  return [...desired, ...unknown, ...orphaned];
}

export interface StateFingerprintInput {
  desiredPeers: DesiredPeer[];
  node: DesiredNode;
  defaults: PanelDefaults;
  dump: Dump;
}

/**
 * SHA-256 (hex) of the desired state (effective values) and the observed peer configuration a plan was made
 * from. Handshakes, transfer counters, endpoints and names are left out, so only a change that could alter the
 * plan gives a new fingerprint; applying a stored plan_id compares it to detect a moved state (409).
 */
export function planStateFingerprint({ desiredPeers, node, defaults, dump }: StateFingerprintInput): string {
  const desired = desiredPeers
    .map((peer) => {
      const planned = plannedPeer(peer, node, defaults);
      return [
        peer.public_key,
        peer.id,
        peer.enabled,
        planned.allowed_ips,
        planned.persistent_keepalive,
        psk(peer),
        planned.endpoint ?? null,
      ];
    })
    .sort(byFirstElement);
  const observed = dump.peers
    .map((peer) => [
      peer.public_key,
      normaliseCidrSet(peer.allowed_ips),
      peer.persistent_keepalive,
      psk(peer),
    ])
    .sort(byFirstElement);
  const content = {
    node: [node.id, node.public_key, effectiveListenPort(node, defaults), effectiveInterfaceSettings(node)],
    desired,
    interface: [
      dump.interface.public_key,
      dump.interface.listen_port,
      dump.interface.fwmark,
      dump.interface.mtu ?? null,
    ],
    observed,
  };
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

function plannedPeer(peer: DesiredPeer, node: DesiredNode, defaults: PanelDefaults): PlannedPeer {
  return {
    peer_id: peer.id,
    name: peer.name,
    public_key: peer.public_key,
    allowed_ips: nodeAllowedIps(peer),
    persistent_keepalive: effectiveKeepalive(peer, node, defaults),
    has_preshared_key: peer.preshared_key_sha256 !== null,
    ...(peer.endpoint ? { endpoint: peer.endpoint } : {}),
  };
}

function keptPeer(observed: DumpPeer, reason: KeptPeer['reason']): KeptPeer {
  return {
    public_key: observed.public_key,
    allowed_ips: normaliseCidrSet(observed.allowed_ips),
    persistent_keepalive: observed.persistent_keepalive,
    endpoint: observed.endpoint,
    reason,
  };
}

function psk(peer: { preshared_key_sha256: string | null }): string | null {
  return peer.preshared_key_sha256?.toLowerCase() ?? null;
}

function byFirstElement(a: unknown[], b: unknown[]): number {
  return String(a[0]) < String(b[0]) ? -1 : String(a[0]) > String(b[0]) ? 1 : 0;
}

function requirePeer(peerById: ReadonlyMap<string, DesiredPeer>, peerId: string): DesiredPeer {
  const peer = peerById.get(peerId);
  if (!peer) throw new Error(`the divergence names peer ${peerId}, which is not among the desired peers`);
  return peer;
}

function requireObserved(observedByKey: ReadonlyMap<string, DumpPeer>, publicKey: string): DumpPeer {
  const peer = observedByKey.get(publicKey);
  if (!peer) throw new Error(`the divergence names peer ${publicKey}, which is not in the node's dump`);
  return peer;
}
