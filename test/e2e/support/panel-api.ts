/**
 * A small client of the panel's REST API over real HTTP, shared by the e2e tests and the demo (which drives a
 * panel running as its own process). It speaks only the public contract: bearer token in, JSON out.
 */
import type { NodeDriftReport } from '../../../src/modules/drift/domain/drift-report';
import type { ReconcilePlan } from '../../../src/modules/node-apply/domain/reconcile-plan';
import type { ReconcileResult } from '../../../src/modules/node-apply/domain/plan-apply';
import type { ReconcileJobStatus } from '../../../src/modules/reconcile/reconcile-job.entity';

export type { NodeDriftReport, ReconcilePlan, ReconcileResult };

export class UnexpectedAnswer extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly text: string,
  ) {
    super(`${method} ${path} answered ${status}: ${text.slice(0, 500)}`);
    this.name = 'UnexpectedAnswer';
  }
}

export interface NodeView {
  id: string;
  name: string;
  interface: string;
  endpoint: string;
  listen_port: number | null;
  public_key: string | null;
  override_dns: string[] | null;
  override_mtu: number | null;
  override_keepalive: number | null;
  /** Peers whose latest change (removals included) is not on the node yet. */
  pending: number;
  version: number;
}

export interface PeerView {
  id: string;
  node_id: string;
  name: string;
  public_key: string;
  allowed_ips: string[];
  persistent_keepalive: number | null;
  sync_status: 'pending' | 'applied' | 'failed';
  sync_error?: string;
  version: number;
}

/** GET /api/reconcile/jobs/{id}, the fields the e2e checks read. */
export interface ReconcileJob {
  id: string;
  node_id: string;
  status: ReconcileJobStatus;
  plan: ReconcilePlan | null;
  result: ReconcileResult | null;
  error: string | null;
}

/** 200 answer of a dry-run reconcile. */
export interface DryRun {
  plan_id: string;
  plan: ReconcilePlan;
}

export interface ScanView {
  id: string;
  trigger: 'schedule' | 'api';
  status: NodeDriftReport['status'];
  checked_at: string;
  summary: NodeDriftReport['summary'];
}

export class PanelApi {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** Sends one request; any status but `expected` is an UnexpectedAnswer carrying the panel's error body. */
  async call<T>(method: string, path: string, expected: number, body?: object): Promise<T> {
    const answer = await fetch(this.baseUrl + path, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await answer.text();
    if (answer.status !== expected) throw new UnexpectedAnswer(method, path, answer.status, text);
    const isJson = answer.headers.get('content-type')?.includes('application/json') ?? false;
    return (isJson ? JSON.parse(text) : text) as T;
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path, 200);
  }

  post<T>(path: string, body: object, expected = 201): Promise<T> {
    return this.call<T>('POST', path, expected, body);
  }

  patch<T>(path: string, body: object): Promise<T> {
    return this.call<T>('PATCH', path, 200, body);
  }

  delete(path: string): Promise<void> {
    return this.call<void>('DELETE', path, 204);
  }

  /** The wg-quick client config of a peer (text/plain). */
  clientConfig(peerId: string): Promise<string> {
    return this.get<string>(`/api/peers/${peerId}/config`);
  }

  /** A live check of one node (also stored as a scan with trigger "api"). */
  driftReport(nodeId: string): Promise<NodeDriftReport> {
    return this.get<NodeDriftReport>(`/api/drift/nodes/${nodeId}`);
  }
}
