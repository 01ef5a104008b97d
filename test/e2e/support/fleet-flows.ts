/**
 * Multi-step flows over the panel's REST API that the e2e tests and the demo both walk through: wait for a
 * peer to be applied, reconcile a node and wait for its job, find the scheduled scan that saw a change.
 */
import type { DryRun, NodeView, PanelApi, PeerView, ReconcileJob, ScanView } from './panel-api';

export interface PollOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Named in the timeout error, e.g. "peer alice applied". */
  what: string;
}

/**
 * Calls `probe` until it returns something other than undefined and returns that. A probe tells how things
 * stand through `seen`; on timeout the error names what was awaited and the last state seen (or the last error
 * thrown), so a failure says where things stood.
 */
export async function pollFor<T>(
  probe: (seen: (state: unknown) => void) => Promise<T | undefined>,
  { timeoutMs, intervalMs = 200, what }: PollOptions,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  const seen = (state: unknown) => (last = state);
  for (;;) {
    try {
      const outcome = await probe(seen);
      if (outcome !== undefined) return outcome;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(last)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface NodeRegistration {
  name: string;
  agent_url: string;
  agent_secret: string;
  interface: string;
  endpoint: string;
  address_pool: string;
  override_dns?: string[];
  override_mtu?: number;
  override_keepalive?: number;
  override_endpoint_allowed_ip?: string[];
  /** The template the node follows (docs/API.md, Templates). */
  template_id?: string;
}

export function registerNode(api: PanelApi, registration: NodeRegistration): Promise<NodeView> {
  return api.post<NodeView>('/api/nodes', registration);
}

/** Resolves once the panel has put the peer's latest version on its node (sync_status "applied"). */
export function waitForApplied(api: PanelApi, peerId: string, timeoutMs = 15000): Promise<PeerView> {
  return pollFor(
    async (seen) => {
      const peer = await api.get<PeerView>(`/api/peers/${peerId}`);
      seen({ sync_status: peer.sync_status, sync_error: peer.sync_error });
      return peer.sync_status === 'applied' ? peer : undefined;
    },
    { timeoutMs, what: `peer ${peerId} to be applied` },
  );
}

/** Resolves once the node has no change left to apply (its `pending` count is 0), removals included. */
export function waitForNodeSettled(api: PanelApi, nodeId: string, timeoutMs = 15000): Promise<NodeView> {
  return pollFor(
    async (seen) => {
      const node = await api.get<NodeView>(`/api/nodes/${nodeId}`);
      seen({ pending: node.pending });
      return node.pending === 0 ? node : undefined;
    },
    { timeoutMs, what: `node ${nodeId} to have no pending changes` },
  );
}

/** Creates the peers on the node and waits until every one of them is applied there. */
export async function createAppliedPeers(
  api: PanelApi,
  nodeId: string,
  peers: Array<{ name: string } & Record<string, unknown>>,
): Promise<PeerView[]> {
  const created: PeerView[] = [];
  for (const peer of peers) created.push(await api.post<PeerView>(`/api/nodes/${nodeId}/peers`, peer));
  return Promise.all(created.map((peer) => waitForApplied(api, peer.id)));
}

export type ReconcileRequest = Partial<{
  reconcile_missing: boolean;
  reconcile_mismatched: boolean;
  remove_orphaned: boolean;
  remove_unknown: boolean;
  mode: 'batch' | 'peer' | 'syncconf';
  plan_id: string;
}>;

export function dryRun(api: PanelApi, nodeId: string, options: ReconcileRequest = {}): Promise<DryRun> {
  return api.post<DryRun>(`/api/drift/nodes/${nodeId}/reconcile`, { ...options, dry_run: true }, 200);
}

/** Queues a reconcile and waits for its job to finish; a failed job is an error carrying the job's own. */
export async function reconcileAndWait(
  api: PanelApi,
  nodeId: string,
  options: ReconcileRequest = {},
  timeoutMs = 20000,
): Promise<ReconcileJob> {
  const { job_id } = await api.post<{ job_id: string }>(`/api/drift/nodes/${nodeId}/reconcile`, options, 202);
  const job = await pollFor(
    async (seen) => {
      const current = await api.get<ReconcileJob>(`/api/reconcile/jobs/${job_id}`);
      seen(current.status);
      return current.status === 'succeeded' || current.status === 'failed' ? current : undefined;
    },
    { timeoutMs, what: `reconcile job ${job_id} to finish` },
  );
  if (job.status === 'failed') {
    throw new Error(`reconcile job ${job_id} failed: ${job.error ?? JSON.stringify(job.result?.errors)}`);
  }
  return job;
}

/** The first scheduled scan of the node checked after `since` (history is newest first). */
export function waitForScheduledScan(
  api: PanelApi,
  nodeId: string,
  since: Date,
  timeoutMs: number,
): Promise<ScanView> {
  return pollFor(
    async (seen) => {
      const { items } = await api.get<{ items: ScanView[] }>(`/api/drift/nodes/${nodeId}/history?limit=20`);
      seen(items[0] ?? 'no scans');
      return items.filter((scan) => scan.trigger === 'schedule' && new Date(scan.checked_at) > since).at(-1);
    },
    { timeoutMs, intervalMs: 250, what: `a scheduled scan of node ${nodeId} after ${since.toISOString()}` },
  );
}
