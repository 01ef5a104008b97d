import type { BatchItemResult, WirePeer } from '@wgfleet/protocol';
import type { NodeDriftReport } from '../../drift/domain/drift-report';
import type {
  KeptPeer,
  PlannedPeer,
  PlannedRemoval,
  PlannedUpdate,
  ReconcileOptions,
  ReconcilePlan,
} from './reconcile-plan';

export const RECONCILE_OPERATIONS = [
  'add',
  'update',
  'remove',
  'listen_port',
  'interface_mtu',
  'fwmark',
] as const;

export interface ReconcileError {
  public_key: string;
  operation: (typeof RECONCILE_OPERATIONS)[number];
  message: string;
}

export interface ReconcileResult {
  added: string[];
  updated: string[];
  removed: string[];
  errors: ReconcileError[];
  verified: boolean;
}

/** What an apply did, before verification. */
export type AppliedChanges = Omit<ReconcileResult, 'verified'>;

export function emptyChanges(): AppliedChanges {
  return { added: [], updated: [], removed: [], errors: [] };
}

/**
 * The full desired peer as the agent should have it. A null preshared key removes one the node has but the
 * panel does not want, so an upsert always converges.
 */
export function desiredWirePeer(peer: PlannedPeer, presharedKey: string | null): WirePeer {
  return { ...keyKeepingWirePeer(peer), preshared_key: presharedKey };
}

/**
 * The desired peer without a preshared_key field, so the node keeps the key it has: for a peer whose key the
 * panel knows only by its hash (an adopted one), when the change does not touch the key.
 */
export function keyKeepingWirePeer(peer: PlannedPeer): WirePeer {
  return {
    public_key: peer.public_key,
    allowed_ips: peer.allowed_ips,
    persistent_keepalive: peer.persistent_keepalive,
    // WireGuard cannot unset an endpoint: without one the node keeps what it has, which drift then ignores.
    ...(peer.endpoint ? { endpoint: peer.endpoint } : {}),
  };
}

/**
 * Whether applying a planned peer must hand the node the preshared key itself: adding a peer the node was seen
 * without (`observed`: the plan comes from a dump, not a blind sync), or repairing a preshared key that differs.
 */
export function needsPresharedKey(
  operation: 'add' | 'update',
  peer: PlannedPeer | PlannedUpdate,
  observed: boolean,
): boolean {
  if (operation === 'add') return observed;
  return 'changes' in peer && peer.changes.some((change) => change.field === 'preshared_key');
}

/**
 * The error of a repair that needs a preshared key the panel does not hold. The same words for every such peer,
 * so a job's errors group into one line.
 */
export const UNHELD_PRESHARED_KEY_ERROR =
  "cannot restore: the panel holds only the hash of this adopted peer's preshared key, so it cannot give the " +
  "node the key; set a new key (the peer's preshared-key action, or PATCH preshared_key or " +
  'generate_preshared_key) and give it to the client, or restore the peer on the node';

/** The plan's peers it cannot restore, as the errors of the apply that leaves them alone. */
export function unrestorableErrors(plan: ReconcilePlan): ReconcileError[] {
  return plan.cannot_restore.map((peer) => ({
    public_key: peer.public_key,
    operation: peer.operation,
    message: UNHELD_PRESHARED_KEY_ERROR,
  }));
}

/** A peer carried through a syncconf as the node has it; no preshared_key field, so the agent keeps its own. */
export function keptWirePeer(peer: KeptPeer): WirePeer {
  return {
    public_key: peer.public_key,
    allowed_ips: peer.allowed_ips,
    persistent_keepalive: peer.persistent_keepalive,
    ...(peer.endpoint ? { endpoint: peer.endpoint } : {}),
  };
}

/** How a removal is named in a result: the peer's name, or its public key for a peer the panel never knew. */
export function removalName(removal: PlannedRemoval): string {
  return removal.name ?? removal.public_key;
}

/** Splits items into groups whose JSON stays under `maxBytes`, so a large plan never hits the agent's body limit. */
export function chunkBySize<T>(items: readonly T[], maxBytes: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const item of items) {
    const itemSize = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (current.length > 0 && size + itemSize > maxBytes) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += itemSize;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export type UpsertOperation = { operation: 'add' | 'update'; name: string; public_key: string };
export type RemoveOperation = { name: string; public_key: string };

/** Files each batch item result (the agent answers in request order) under added/updated/removed or errors. */
export function recordBatchResults(
  changes: AppliedChanges,
  upserts: readonly UpsertOperation[],
  removals: readonly RemoveOperation[],
  results: readonly BatchItemResult[],
): void {
  const record = (
    operation: ReconcileError['operation'],
    item: { name: string; public_key: string },
    result: BatchItemResult | undefined,
    into: string[],
  ) => {
    if (result?.ok) into.push(item.name);
    else
      changes.errors.push({
        public_key: item.public_key,
        operation,
        message: result?.error ?? 'no result from the agent',
      });
  };
  upserts.forEach((item, index) =>
    record(item.operation, item, results[index], item.operation === 'add' ? changes.added : changes.updated),
  );
  removals.forEach((item, index) => record('remove', item, results[upserts.length + index], changes.removed));
}

/** A batch the agent refused as a whole: every one of its operations failed, for that one reason. */
export function recordBatchFailure(
  changes: AppliedChanges,
  upserts: readonly UpsertOperation[],
  removals: readonly RemoveOperation[],
  message: string,
): void {
  const failed = { ok: false, error: message };
  recordBatchResults(changes, upserts, removals, [
    ...upserts.map((item) => ({ ...failed, public_key: item.public_key, op: 'upsert' as const })),
    ...removals.map((item) => ({ ...failed, public_key: item.public_key, op: 'remove' as const })),
  ]);
}

/** The peer a syncconf refusal blames (`peers[3].allowed_ips: ...`), or null when it names none. */
export function blamedSyncconfIndex(message: string): number | null {
  const match = /^peers\[(\d+)\]/.exec(message);
  return match ? Number(match[1]) : null;
}

/** Names of the plan's changes a syncconf made, given the public keys it had to leave out. */
export function syncconfChanges(plan: ReconcilePlan, excluded: ReadonlySet<string>): AppliedChanges {
  const applied = <T extends { public_key: string }>(items: T[]) =>
    items.filter((item) => !excluded.has(item.public_key));
  return {
    added: applied(plan.add).map((peer) => peer.name),
    updated: applied(plan.update).map((peer) => peer.name),
    removed: plan.remove.map(removalName),
    errors: [],
  };
}

/**
 * True when no plan made with these options can empty the node, whatever it observes: missing peers are added
 * and there is at least one enabled desired peer. Spares the request a dump just for the allow_empty guard.
 */
export function cannotLeaveNodeEmpty(
  options: ReconcileOptions,
  desiredPeers: readonly { enabled: boolean }[],
): boolean {
  return options.reconcile_missing && desiredPeers.some((peer) => peer.enabled);
}

/** A verify scan passes when it shows no drift in any category the reconcile was asked to repair. */
export function isVerified(report: NodeDriftReport, options: ReconcileOptions): boolean {
  if (report.status === 'unknown') return false;
  const interfaceDrift = report.interface_mismatches.some((mismatch) => mismatch.field !== 'public_key');
  return !(
    (options.reconcile_missing && report.missing_peers.length > 0) ||
    (options.reconcile_mismatched && (report.mismatched_peers.length > 0 || interfaceDrift)) ||
    (options.remove_orphaned && report.orphaned_peers.length > 0) ||
    (options.remove_unknown && report.unknown_peers.length > 0)
  );
}

/** Counts for logs and alerts, never keys; `error` says why a job failed. */
export function resultSummary(
  result: ReconcileResult | null,
  failure: string | null,
): Record<string, number | boolean | string | null> {
  return {
    added: result?.added.length ?? 0,
    updated: result?.updated.length ?? 0,
    removed: result?.removed.length ?? 0,
    errors: result?.errors.length ?? 0,
    verified: result?.verified ?? false,
    ...(failure === null ? {} : { error: failure }),
  };
}
