import {
  createWgfleetClient,
  expectOk,
  isPlanAnswer,
  isQueuedJob,
  WgfleetApiError,
  WgfleetClient,
} from '@wgfleet/client';
import type {
  ClusterCreation,
  ClusterUpdate,
  ClusterView,
  AdoptionDryRun,
  AdoptionResult,
  AdoptRequest,
  BindingCreation,
  BindingView,
  CreatedToken,
  CreatedWebhook,
  DeliveryView,
  DryRunAnswer,
  FleetDriftReport,
  Me,
  NodeCreation,
  NodeDriftReport,
  NodeUpdate,
  NodeView,
  Page,
  PeerCreation,
  PeerUpdate,
  PeerView,
  QueuedJob,
  ReconcileJob,
  ReconcileOptions,
  Scope,
  RolloutCreation,
  RolloutView,
  TokenRole,
  TokenView,
  TemplateCreation,
  TemplateUpdate,
  TemplateView,
  UserView,
  WebhookCreation,
  WebhookView,
} from './api-types';
import { Connection } from './cli-config';
import { CliError } from './exit-codes';
import { assertTokenTransport } from './token-transport';
import { CLI_VERSION } from './version';

export const ROLLOUT_COMMANDS = ['start', 'pause', 'resume', 'abort', 'rollback'] as const;
export type RolloutCommand = (typeof ROLLOUT_COMMANDS)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PAGE_SIZE = 1000;

/** What the commands ask of the panel, each call typed by its path; names resolve to ids here. */
export class PanelApi {
  readonly client: WgfleetClient;

  constructor(readonly connection: Connection) {
    assertTokenTransport(connection.url, connection.insecure === true);
    this.client = createWgfleetClient({
      baseUrl: connection.url,
      token: connection.token,
      clientName: `cli/${CLI_VERSION}`,
    });
  }

  /** Every node, or those carrying every tag of `tags` (`key=value`). */
  async listNodes(tags: string[] = []): Promise<NodeView[]> {
    const tag = tags.length > 0 ? tags : undefined;
    return this.allPages((cursor) =>
      expectOk(this.client.GET('/api/nodes', { params: { query: { cursor, limit: PAGE_SIZE, tag } } })),
    );
  }

  getNode(id: string): Promise<NodeView> {
    return expectOk(this.client.GET('/api/nodes/{id}', { params: { path: { id } } }));
  }

  createNode(body: NodeCreation): Promise<NodeView> {
    return expectOk(this.client.POST('/api/nodes', { body }));
  }

  updateNode(id: string, body: NodeUpdate): Promise<NodeView> {
    return expectOk(this.client.PATCH('/api/nodes/{id}', { params: { path: { id } }, body }));
  }

  async deleteNode(id: string, version: number): Promise<void> {
    await expectOk(this.client.DELETE('/api/nodes/{id}', { params: { path: { id }, query: { version } } }));
  }

  /** `search` keeps peers whose name contains it (any case) or whose public key starts with it. */
  async listPeers(nodeId: string, search?: string): Promise<PeerView[]> {
    return this.allPages((cursor) =>
      expectOk(
        this.client.GET('/api/nodes/{id}/peers', {
          params: { path: { id: nodeId }, query: { cursor, limit: PAGE_SIZE, q: search } },
        }),
      ),
    );
  }

  getPeer(id: string): Promise<PeerView> {
    return expectOk(this.client.GET('/api/peers/{id}', { params: { path: { id } } }));
  }

  createPeer(nodeId: string, body: PeerCreation): Promise<PeerView> {
    return expectOk(this.client.POST('/api/nodes/{id}/peers', { params: { path: { id: nodeId } }, body }));
  }

  updatePeer(id: string, body: PeerUpdate): Promise<PeerView> {
    return expectOk(this.client.PATCH('/api/peers/{id}', { params: { path: { id } }, body }));
  }

  async deletePeer(id: string, version: number): Promise<void> {
    await expectOk(this.client.DELETE('/api/peers/{id}', { params: { path: { id }, query: { version } } }));
  }

  peerConfig(id: string): Promise<string> {
    return expectOk(this.client.GET('/api/peers/{id}/config', { params: { path: { id } }, parseAs: 'text' }));
  }

  async listClusters(): Promise<ClusterView[]> {
    return this.allPages((cursor) =>
      expectOk(this.client.GET('/api/clusters', { params: { query: { cursor, limit: PAGE_SIZE } } })),
    );
  }

  getCluster(id: string): Promise<ClusterView> {
    return expectOk(this.client.GET('/api/clusters/{id}', { params: { path: { id } } }));
  }

  createCluster(body: ClusterCreation): Promise<ClusterView> {
    return expectOk(this.client.POST('/api/clusters', { body }));
  }

  updateCluster(id: string, body: ClusterUpdate): Promise<ClusterView> {
    return expectOk(this.client.PATCH('/api/clusters/{id}', { params: { path: { id } }, body }));
  }

  async deleteCluster(id: string, version: number): Promise<void> {
    await expectOk(
      this.client.DELETE('/api/clusters/{id}', { params: { path: { id }, query: { version } } }),
    );
  }

  addClusterMember(id: string, nodeId: string): Promise<ClusterView> {
    return expectOk(
      this.client.POST('/api/clusters/{id}/members', { params: { path: { id } }, body: { node_id: nodeId } }),
    );
  }

  removeClusterMember(id: string, nodeId: string): Promise<ClusterView> {
    return expectOk(
      this.client.DELETE('/api/clusters/{id}/members/{node_id}', {
        params: { path: { id, node_id: nodeId } },
      }),
    );
  }

  async listClusterPeers(clusterId: string): Promise<PeerView[]> {
    return this.allPages((cursor) =>
      expectOk(
        this.client.GET('/api/clusters/{id}/peers', {
          params: { path: { id: clusterId }, query: { cursor, limit: PAGE_SIZE } },
        }),
      ),
    );
  }

  createClusterPeer(clusterId: string, body: PeerCreation): Promise<PeerView> {
    return expectOk(
      this.client.POST('/api/clusters/{id}/peers', { params: { path: { id: clusterId } }, body }),
    );
  }

  driftAll(): Promise<FleetDriftReport> {
    return expectOk(this.client.GET('/api/drift/nodes'));
  }

  driftNode(id: string): Promise<NodeDriftReport> {
    return expectOk(this.client.GET('/api/drift/nodes/{id}', { params: { path: { id } } }));
  }

  /** A dry run: the stored plan and its id, nothing changed. */
  async planReconcile(nodeId: string, options: ReconcileOptions): Promise<DryRunAnswer> {
    const answer = await expectOk(
      this.client.POST('/api/drift/nodes/{id}/reconcile', {
        params: { path: { id: nodeId } },
        body: { ...options, dry_run: true },
      }),
    );
    if (!isPlanAnswer(answer)) throw new CliError('the panel answered a dry run without a plan');
    return answer;
  }

  /** Queues exactly the stored plan; 409 when the node moved since the plan was made. */
  async applyPlan(nodeId: string, planId: string): Promise<QueuedJob> {
    const answer = await expectOk(
      this.client.POST('/api/drift/nodes/{id}/reconcile', {
        params: { path: { id: nodeId } },
        body: { plan_id: planId },
      }),
    );
    if (!isQueuedJob(answer)) throw new CliError('the panel answered a repair without its job');
    return answer;
  }

  /** An adoption dry run: the stored plan and its id, nothing adopted. */
  async planAdoption(nodeId: string, request: Omit<AdoptRequest, 'dry_run' | 'plan_id'>) {
    const answer = await this.adopt(nodeId, { ...request, dry_run: true });
    if (!isPlanAnswer(answer)) throw new CliError('the panel answered an adoption dry run without a plan');
    return answer;
  }

  /** Adopts exactly the stored plan (409 when the node moved since), under the names given. */
  async adoptPlan(nodeId: string, planId: string, names: Record<string, string>): Promise<AdoptionResult> {
    const answer = await this.adopt(nodeId, { plan_id: planId, names });
    if (isPlanAnswer(answer)) throw new CliError('the panel answered an adoption without its result');
    return answer;
  }

  private adopt(nodeId: string, body: AdoptRequest): Promise<AdoptionDryRun | AdoptionResult> {
    return expectOk(this.client.POST('/api/nodes/{id}/adopt', { params: { path: { id: nodeId } }, body }));
  }

  getJob(id: string): Promise<ReconcileJob> {
    return expectOk(this.client.GET('/api/reconcile/jobs/{id}', { params: { path: { id } } }));
  }

  listEvents(query: {
    aggregate_id?: string;
    type?: string;
    actor?: string;
    after?: string;
    limit?: number;
  }) {
    return expectOk(this.client.GET('/api/events', { params: { query } }));
  }

  async listTokens(): Promise<TokenView[]> {
    return (await expectOk(this.client.GET('/api/tokens'))).items;
  }

  createToken(name: string, role: TokenRole, scope?: Scope): Promise<CreatedToken> {
    return expectOk(this.client.POST('/api/tokens', { body: { name, role, scope } }));
  }

  whoAmI(): Promise<Me> {
    return expectOk(this.client.GET('/api/me'));
  }

  async listUsers(): Promise<UserView[]> {
    return (await expectOk(this.client.GET('/api/users'))).items;
  }

  async listBindings(): Promise<BindingView[]> {
    return (await expectOk(this.client.GET('/api/bindings'))).items;
  }

  createBinding(body: BindingCreation): Promise<BindingView> {
    return expectOk(this.client.POST('/api/bindings', { body }));
  }

  async deleteBinding(id: string): Promise<void> {
    await expectOk(this.client.DELETE('/api/bindings/{id}', { params: { path: { id } } }));
  }

  async revokeToken(id: string): Promise<void> {
    await expectOk(this.client.DELETE('/api/tokens/{id}', { params: { path: { id } } }));
  }

  async listWebhooks(): Promise<WebhookView[]> {
    return this.allPages((cursor) =>
      expectOk(this.client.GET('/api/webhooks', { params: { query: { cursor, limit: PAGE_SIZE } } })),
    );
  }

  createWebhook(body: WebhookCreation): Promise<CreatedWebhook> {
    return expectOk(this.client.POST('/api/webhooks', { body }));
  }

  getWebhook(id: string): Promise<WebhookView> {
    return expectOk(this.client.GET('/api/webhooks/{id}', { params: { path: { id } } }));
  }

  async deleteWebhook(id: string, version: number): Promise<void> {
    await expectOk(
      this.client.DELETE('/api/webhooks/{id}', { params: { path: { id }, query: { version } } }),
    );
  }

  /** One page of the delivery log (it can be long). */
  async listDeliveries(id: string, limit = 100): Promise<DeliveryView[]> {
    const page = await expectOk(
      this.client.GET('/api/webhooks/{id}/deliveries', { params: { path: { id }, query: { limit } } }),
    );
    return page.items;
  }

  async listTemplates(): Promise<TemplateView[]> {
    return this.allPages((cursor) =>
      expectOk(this.client.GET('/api/templates', { params: { query: { cursor, limit: PAGE_SIZE } } })),
    );
  }

  getTemplate(id: string): Promise<TemplateView> {
    return expectOk(this.client.GET('/api/templates/{id}', { params: { path: { id } } }));
  }

  createTemplate(body: TemplateCreation): Promise<TemplateView> {
    return expectOk(this.client.POST('/api/templates', { body }));
  }

  updateTemplate(id: string, body: TemplateUpdate): Promise<TemplateView> {
    return expectOk(this.client.PATCH('/api/templates/{id}', { params: { path: { id } }, body }));
  }

  async deleteTemplate(id: string, version: number): Promise<void> {
    await expectOk(
      this.client.DELETE('/api/templates/{id}', { params: { path: { id }, query: { version } } }),
    );
  }

  /** A template by id or by name. */
  async resolveTemplate(ref: string): Promise<TemplateView> {
    if (UUID.test(ref)) return this.getTemplate(ref);
    const found = (await this.listTemplates()).find((template) => template.name === ref);
    if (!found) throw new CliError(`no template named "${ref}" (wgfleet template list lists them)`);
    return found;
  }

  createRollout(body: RolloutCreation): Promise<RolloutView> {
    return expectOk(this.client.POST('/api/rollouts', { body }));
  }

  getRollout(id: string): Promise<RolloutView> {
    return expectOk(this.client.GET('/api/rollouts/{id}', { params: { path: { id } } }));
  }

  /** start, pause, resume, abort or rollback: the rollout as the command left it. */
  commandRollout(id: string, command: RolloutCommand): Promise<RolloutView> {
    return expectOk(this.client.POST(`/api/rollouts/{id}/${command}`, { params: { path: { id } } }));
  }

  /** A node by id or by name. */
  async resolveNode(ref: string): Promise<NodeView> {
    if (UUID.test(ref)) return this.getNode(ref);
    const found = (await this.listNodes()).find((node) => node.name === ref);
    if (!found) throw new CliError(`no node named "${ref}" (wgfleet nodes ls lists them)`);
    return found;
  }

  /** A cluster by id or by name. */
  async resolveCluster(ref: string): Promise<ClusterView> {
    if (UUID.test(ref)) return this.getCluster(ref);
    const found = (await this.listClusters()).find((cluster) => cluster.name === ref);
    if (!found) throw new CliError(`no cluster named "${ref}" (wgfleet cluster list lists them)`);
    return found;
  }

  /** A peer by id, or by name (within `nodeRef` when given; a name used on several nodes needs it). */
  async resolvePeer(ref: string, nodeRef?: string): Promise<PeerView> {
    if (UUID.test(ref)) return this.getPeer(ref);
    const nodes = nodeRef ? [await this.resolveNode(nodeRef)] : await this.listNodes();
    const matches: { node: NodeView; peer: PeerView }[] = [];
    for (const node of nodes) {
      for (const peer of await this.listPeers(node.id)) {
        if (peer.name === ref) matches.push({ node, peer });
      }
    }
    if (matches.length === 0) {
      throw new CliError(`no peer named "${ref}"${nodeRef ? ` on node ${nodeRef}` : ''} (wgfleet peers ls)`);
    }
    if (matches.length > 1) {
      const names = matches.map((match) => match.node.name).join(', ');
      throw new CliError(`peer name "${ref}" is used on several nodes (${names}); say which with --node`);
    }
    return matches[0].peer;
  }

  private async allPages<T>(fetchPage: (cursor?: string) => Promise<Page<T>>): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    do {
      const page = await fetchPage(cursor);
      items.push(...page.items);
      cursor = page.next;
    } while (cursor);
    return items;
  }
}

export function isStalePlan(error: unknown): boolean {
  return error instanceof WgfleetApiError && error.status === 409 && error.code === 'plan_stale';
}
