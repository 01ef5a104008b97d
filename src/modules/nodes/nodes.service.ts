import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Page } from '../../common/http/api-responses';
import { randomUUID } from 'node:crypto';
import { CommandContext } from '../../common/auth/auth.decorators';
import { SecretBox } from '../../common/crypto/secret-box';
import { sealContext } from '../../common/crypto/secret-box.provider';
import { badRequest, conflict, notFound, versionConflict } from '../../common/http/api-error';
import { decodeCursor, page } from '../../common/http/cursor';
import { AgentUrlGuard } from '../agent-client/agent-client.module';
import { DesiredStateChanges, EventStore } from '../events';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { nodeSettings } from '../../common/domain/effective-settings';
import { parseTagSelector, sameTags } from '../../common/domain/node-tags';
import { NODE_ADDRESS_USAGE } from './node-address-usage';
import { NodeAgents } from './node-agents.service';
import {
  InheritedSettingsView,
  NodeViewExtensions,
  NodeView,
  nodeSettingsView,
  toDesiredNode,
  toNodeView,
} from './node-view';
import { NodeEntity } from './node.entity';
import { NodeScopes } from './node-scope';
import type { NodeFilter } from '../../common/auth/domain/scope-policy';
import { NODE_DELETED, NODE_REGISTERED, NODE_UPDATED, NodeEvent, NodeState } from './node.events';
import { NodeListQuery, RegisterNodeDto, UpdateNodeDto } from './nodes.dto';
import { NodesStore } from './nodes.store';
import { Reactions } from '../../common/reactions';
import { TemplatesService } from '../templates';

type NodeChanges = Partial<NodeState>;

/** What a node runs of a template: all null when it follows none. */
type TemplatePin = Pick<NodeState, 'template_id' | 'template_version' | 'template_settings'>;

const NO_TEMPLATE: TemplatePin = { template_id: null, template_version: null, template_settings: null };

const STATE_FIELDS: (keyof NodeState)[] = [
  'name',
  'agent_url',
  'interface',
  'endpoint',
  'address_pool',
  'address_pool_v6',
  'listen_port',
  'public_key',
  'enabled',
  'override_listen_port',
  'override_dns',
  'override_mtu',
  'override_keepalive',
  'override_endpoint_allowed_ip',
  'auto_reconcile',
  'agent_ca_cert',
  'agent_cert_fingerprint',
];

@Injectable()
export class NodesService {
  constructor(
    private readonly em: EntityManager,
    private readonly events: EventStore,
    private readonly box: SecretBox,
    private readonly agents: NodeAgents,
    private readonly extensions: NodeViewExtensions,
    private readonly changes: DesiredStateChanges,
    private readonly urlGuard: AgentUrlGuard,
    private readonly reactions: Reactions,
    private readonly scopes: NodeScopes,
    private readonly store: NodesStore,
    private readonly templates: TemplatesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * `em`: a transaction to register in (an enrollment's claim), a fresh one otherwise. `agentMustAnswer`: refuse
   * (502) unless the agent answers a signed request correctly, instead of registering a node that is unknown.
   */
  async register(
    dto: RegisterNodeDto,
    context: CommandContext,
    { em, agentMustAnswer = false }: { em?: EntityManager; agentMustAnswer?: boolean } = {},
  ): Promise<NodeView> {
    const id = randomUUID();
    await this.urlGuard.assertUsable(dto);
    const connection = {
      agent_url: dto.agent_url,
      interface: dto.interface,
      agent_secret: dto.agent_secret,
      agent_ca_cert: dto.agent_ca_cert ?? null,
      agent_cert_fingerprint: dto.agent_cert_fingerprint ?? null,
    };
    const observed = agentMustAnswer
      ? await this.agents.verify(connection)
      : await this.agents.probe(connection);
    const state: NodeState = {
      name: dto.name,
      agent_url: dto.agent_url,
      interface: dto.interface,
      endpoint: dto.endpoint,
      address_pool: dto.address_pool,
      address_pool_v6: dto.address_pool_v6 ?? null,
      // What the operator gives is kept: the agent only fills in what was left out. A key that differs from
      // the node's shows as interface drift instead of being silently replaced.
      listen_port: dto.listen_port ?? observed?.listen_port ?? null,
      public_key: dto.public_key ?? observed?.public_key ?? null,
      enabled: dto.enabled ?? true,
      override_listen_port: dto.override_listen_port ?? null,
      override_dns: dto.override_dns ?? null,
      override_mtu: dto.override_mtu ?? null,
      override_keepalive: dto.override_keepalive ?? null,
      override_endpoint_allowed_ip: dto.override_endpoint_allowed_ip ?? null,
      auto_reconcile: dto.auto_reconcile ?? 'off',
      tags: dto.tags ?? {},
      agent_secret_sealed: this.box.seal(dto.agent_secret, sealContext.agentSecret(id)),
      agent_ca_cert: dto.agent_ca_cert ?? null,
      agent_cert_fingerprint: dto.agent_cert_fingerprint ?? null,
      receipt_key: !observed
        ? null
        : agentMustAnswer
          ? await this.agents.receiptKeyOf(connection)
          : await this.agents.probeReceiptKey(connection),
      ...NO_TEMPLATE,
    };
    const target = em ?? this.em.fork();
    await target.transactional(async (tx) => {
      await this.assertNameFree(tx, state.name, id);
      const pin = await this.templatePin(tx, dto.template_id ?? null, dto.template_version ?? null);
      await this.events.append<NodeEvent>(
        tx,
        { aggregateType: 'node', aggregateId: id, type: NODE_REGISTERED, payload: { ...state, ...pin } },
        0,
        context,
      );
    });
    const node = await this.require(target, id);
    // A pinned template may set the interface: carried to the node now, not at the next sweep. Inside a
    // caller's transaction (an enrollment's claim) the sweep does it, as nothing is committed yet.
    if (!em && node.templateId !== null) await this.changes.changed(id);
    return toNodeView(node, this.extensions.extrasOfCreated(node));
  }

  /** Only the nodes `visible` lets through: a scoped principal's list holds its scope's nodes. */
  async list(query: NodeListQuery, visible: NodeFilter): Promise<Page<NodeView>> {
    const limit = query.limit ?? 100;
    const em = this.em.fork();
    const rows = await this.store.page(em, {
      after: decodeCursor(query.cursor),
      tags: (query.tag ?? []).map(parseTagSelector),
      visible: await this.scopes.withoutClusters(em, visible),
      limit,
    });
    const extrasOf = await this.extensions.extras(rows);
    return page(rows, limit, (node) => toNodeView(node, extrasOf(node)));
  }

  async get(id: string): Promise<NodeView> {
    const node = await this.require(this.em.fork(), id);
    const extrasOf = await this.extensions.extras([node]);
    return toNodeView(node, extrasOf(node));
  }

  /**
   * Each setting the node's peers inherit, with its value and source (node, template or panel default), at the
   * template version the node runs or, for a preview, at `templateVersion` of the same template.
   */
  async settings(id: string, templateVersion?: number): Promise<InheritedSettingsView> {
    const node = await this.require(this.em.fork(), id);
    const desired = toDesiredNode(node);
    let version = node.templateVersion;
    if (templateVersion !== undefined && templateVersion !== node.templateVersion) {
      if (node.templateId === null)
        throw badRequest('template_version', `node ${node.name} follows no template`);
      desired.template_settings = (await this.templates.version(node.templateId, templateVersion)).settings;
      version = templateVersion;
    }
    return {
      node_id: id,
      template_id: node.templateId,
      template_version: version,
      settings: nodeSettings(desired, this.config.defaults),
    };
  }

  /**
   * Pins the node to a version of a template (the latest when `version` is null), or unpins it (`templateId`
   * null). A node.updated event like any change, so the node's apply-on-change path plans and applies it.
   */
  pinNodeTemplate(
    nodeId: string,
    templateId: string | null,
    version: number | null,
    expectedNodeVersion: number | undefined,
    context: CommandContext,
  ): Promise<NodeView> {
    return this.update(
      nodeId,
      { template_id: templateId, template_version: version },
      expectedNodeVersion,
      context,
    );
  }

  async require(em: EntityManager, id: string): Promise<NodeEntity> {
    const node = await em.findOne(NodeEntity, { id });
    if (!node) throw notFound('node', id);
    return node;
  }

  async update(id: string, dto: UpdateNodeDto, expected: number | undefined, context: CommandContext) {
    if (
      dto.agent_url !== undefined ||
      dto.agent_ca_cert !== undefined ||
      dto.agent_cert_fingerprint !== undefined
    ) {
      const node = await this.require(this.em.fork(), id);
      await this.urlGuard.assertUsable({
        agent_url: dto.agent_url ?? node.agentUrl,
        agent_ca_cert: dto.agent_ca_cert === undefined ? node.agentCaCert : dto.agent_ca_cert,
        agent_cert_fingerprint:
          dto.agent_cert_fingerprint === undefined ? node.agentCertFingerprint : dto.agent_cert_fingerprint,
      });
    }
    const changed = await this.em.fork().transactional(async (em) => {
      const node = await this.require(em, id);
      if (expected !== undefined && expected !== node.version)
        throw versionConflict('node', expected, node.version);
      const changes = { ...this.changesFrom(node, dto), ...(await this.templateChanges(em, node, dto)) };
      if (Object.keys(changes).length === 0) return false;
      if (changes.name !== undefined) await this.assertNameFree(em, changes.name, id);
      if (changes.address_pool !== undefined || changes.address_pool_v6 !== undefined) {
        await this.assertPoolsMovable(em, node);
      }
      await this.events.append<NodeEvent>(
        em,
        { aggregateType: 'node', aggregateId: id, type: NODE_UPDATED, payload: { changes } },
        node.version,
        context,
      );
      return true;
    });
    if (changed) await this.changes.changed(id);
    return this.get(id);
  }

  /**
   * The one way a pinned receipt key changes: the operator asks, the agent must answer correctly, and the new
   * pin is an event of its own in the chained log (docs/AUDIT.md "Node receipts").
   */
  async refreshReceiptKey(id: string, context: CommandContext): Promise<NodeView> {
    const node = await this.require(this.em.fork(), id);
    const connection = this.agents.connectionOf(node);
    await this.agents.verify(connection);
    const receiptKey = await this.agents.receiptKeyOf(connection);
    if (receiptKey !== node.receiptKey) {
      await this.em.fork().transactional(async (em) => {
        const current = await this.require(em, id);
        await this.events.append<NodeEvent>(
          em,
          {
            aggregateType: 'node',
            aggregateId: id,
            type: NODE_UPDATED,
            payload: { changes: { receipt_key: receiptKey } },
          },
          current.version,
          context,
        );
      });
    }
    return this.get(id);
  }

  async delete(id: string, expected: number | undefined, context: CommandContext): Promise<void> {
    await this.em.fork().transactional(async (em) => {
      const node = await this.require(em, id);
      if (expected !== undefined && expected !== node.version)
        throw versionConflict('node', expected, node.version);
      await this.events.append<NodeEvent>(
        em,
        { aggregateType: 'node', aggregateId: id, type: NODE_DELETED, payload: { name: node.name } },
        node.version,
        context,
      );
    });
  }

  /** Only what really changes goes into the event, so a no-op PATCH appends nothing. */
  private changesFrom(node: NodeEntity, dto: UpdateNodeDto): NodeChanges {
    const current: Record<string, unknown> = nodeSettingsView(node);
    const changes: Record<string, unknown> = {};
    for (const field of STATE_FIELDS) {
      const value = dto[field as keyof UpdateNodeDto];
      if (value !== undefined && JSON.stringify(value) !== JSON.stringify(current[field]))
        changes[field] = value;
    }
    // A whole new map; null clears it like {}. Compared as maps: jsonb keeps its keys in its own order.
    if (dto.tags !== undefined && !sameTags(dto.tags ?? {}, node.tags)) changes.tags = dto.tags ?? {};
    if (dto.agent_secret !== undefined) {
      changes.agent_secret_sealed = this.box.seal(dto.agent_secret, sealContext.agentSecret(node.id));
    }
    return changes as NodeChanges;
  }

  /**
   * The pin a PATCH asks for: `template_id` pins that template (its latest version, or `template_version`),
   * `template_version` alone another version of the node's template; only what differs goes into the event.
   */
  private async templateChanges(
    em: EntityManager,
    node: NodeEntity,
    dto: UpdateNodeDto,
  ): Promise<NodeChanges> {
    if (dto.template_id === undefined && dto.template_version === undefined) return {};
    const templateId = dto.template_id === undefined ? node.templateId : dto.template_id;
    if (templateId === null && dto.template_id === undefined)
      throw badRequest('template_version', `node ${node.name} follows no template: give template_id too`);
    const pin = await this.templatePin(em, templateId, dto.template_version ?? null);
    const changes: NodeChanges = {};
    if (pin.template_id !== node.templateId) changes.template_id = pin.template_id;
    if (pin.template_version !== node.templateVersion || pin.template_id !== node.templateId) {
      changes.template_version = pin.template_version;
      changes.template_settings = pin.template_settings;
    }
    return changes;
  }

  /** The template version to pin, read (and its template share-locked) in the node's transaction. */
  private async templatePin(
    em: EntityManager,
    templateId: string | null,
    version: number | null,
  ): Promise<TemplatePin> {
    if (templateId === null) {
      if (version !== null) throw badRequest('template_version', 'template_version needs a template_id');
      return NO_TEMPLATE;
    }
    const found = await this.templates.pinnable(em, templateId, version);
    if (found === 'unknown_template') throw badRequest('template_id', `no template ${templateId}`);
    if (found === 'unknown_version')
      throw badRequest('template_version', `template ${templateId} has no version ${version}`);
    return {
      template_id: found.template_id,
      template_version: found.version,
      template_settings: found.settings,
    };
  }

  private async assertNameFree(em: EntityManager, name: string, id: string): Promise<void> {
    const other = await em.findOne(NodeEntity, { name, id: { $ne: id } }, { fields: ['id'] });
    if (other)
      throw conflict(`a node named "${name}" already exists`, [{ field: 'name', message: 'name is taken' }]);
  }

  private async assertPoolsMovable(em: EntityManager, node: NodeEntity): Promise<void> {
    const held = await this.reactions.ask(NODE_ADDRESS_USAGE, em, node.id);
    if (held > 0) {
      throw conflict(`node ${node.name} has ${held} allocated addresses; its address pools cannot change`, [
        { field: 'address_pool', message: 'pool in use' },
      ]);
    }
  }
}
