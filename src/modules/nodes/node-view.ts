import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { DesiredNode } from '../../common/domain/desired-state';
import { ViewExtensions, type ViewExtensionsTopic } from '../../common/http/view-extensions';
import { gatherTopic, Reactions } from '../../common/reactions';
import { AGENT_TRANSPORTS, AgentTransport, agentTransport } from '../../common/domain/agent-url-policy';
import { DRIFT_STATUSES, DriftStatus } from '../../common/domain/drift-status';
import { NODE_SETTING_FIELDS, type NodeSetting } from '../../common/domain/effective-settings';
import { SETTING_SOURCES } from '../../common/domain/desired-state';
import type { NodeTags } from '../../common/domain/node-tags';
import { NodeEntity } from './node.entity';
import { AUTO_RECONCILE_MODES, AutoReconcileMode } from './node.events';

/** Fields other modules add to node views (drift status, sync backlog); see their ViewExtension. */
export class NodeViewExtras {
  @ApiProperty({
    enum: DRIFT_STATUSES,
    enumName: 'DriftStatus',
    nullable: true,
    description: "The latest scan's status; null until the node's first scan",
  })
  drift_status!: DriftStatus | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  last_scan_at!: string | null;

  @ApiProperty({ description: 'Peers whose latest change is not on the node yet, removals included' })
  pending!: number;
}

/** Modules adding fields to node views contribute their extension here. */
export const NODE_VIEW_EXTENSIONS: ViewExtensionsTopic<NodeEntity, NodeViewExtras> =
  gatherTopic('nodes.view-extensions');

@Injectable()
export class NodeViewExtensions extends ViewExtensions<NodeEntity, NodeViewExtras> {
  constructor(reactions: Reactions) {
    super(reactions, NODE_VIEW_EXTENSIONS);
  }
}

/** The API shape of a node (docs/API.md, Resources); the agent secret is never part of it. */
export class NodeView extends NodeViewExtras {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  agent_url!: string;

  @ApiProperty({ example: 'wg0' })
  interface!: string;

  @ApiProperty({ example: 'us-east.vpn.example.com:51820' })
  endpoint!: string;

  @ApiProperty({ example: '10.0.1.0/24' })
  address_pool!: string;

  @ApiProperty({ type: String, nullable: true, example: 'fd00:1::/64' })
  address_pool_v6!: string | null;

  @ApiProperty({ type: Number, nullable: true })
  listen_port!: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: "The interface's public key, as the agent reported it",
  })
  public_key!: string | null;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ type: Number, nullable: true })
  override_listen_port!: number | null;

  @ApiProperty({ type: String, isArray: true, nullable: true })
  override_dns!: string[] | null;

  @ApiProperty({ type: Number, nullable: true })
  override_mtu!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  override_keepalive!: number | null;

  @ApiProperty({ type: String, isArray: true, nullable: true })
  override_endpoint_allowed_ip!: string[] | null;

  @ApiProperty({ enum: AUTO_RECONCILE_MODES, enumName: 'AutoReconcileMode' })
  auto_reconcile!: AutoReconcileMode;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { region: 'eu' },
    description: 'Key → value labels the node is selected by (`?tag=key=value`); {} = none',
  })
  tags!: NodeTags;

  @ApiProperty({ type: String, nullable: true })
  agent_ca_cert!: string | null;

  @ApiProperty({ type: String, nullable: true })
  agent_cert_fingerprint!: string | null;

  @ApiProperty({
    enum: AGENT_TRANSPORTS,
    enumName: 'AgentTransport',
    description:
      'How the panel reaches the agent: https with a pinned CA or fingerprint, https with system CAs, or plain http',
  })
  agent_transport!: AgentTransport;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      "The agent's receipt public key (raw Ed25519, base64) pinned at registration; null = no receipts (docs/AUDIT.md)",
  })
  receipt_key!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the template the node follows' })
  template_id!: string | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'the template version the node runs; a template edit does not move it, a pin does',
  })
  template_version!: number | null;

  @ApiProperty()
  version!: number;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;
}

/** A node's own settings as the API names them (no extras, no version or timestamps). */
export function nodeSettingsView(node: NodeEntity) {
  return {
    id: node.id,
    name: node.name,
    agent_url: node.agentUrl,
    interface: node.interface,
    endpoint: node.endpoint,
    address_pool: node.addressPool,
    address_pool_v6: node.addressPoolV6,
    listen_port: node.listenPort,
    public_key: node.publicKey,
    enabled: node.enabled,
    override_listen_port: node.overrideListenPort,
    override_dns: node.overrideDns,
    override_mtu: node.overrideMtu,
    override_keepalive: node.overrideKeepalive,
    override_endpoint_allowed_ip: node.overrideEndpointAllowedIp,
    auto_reconcile: node.autoReconcile,
    tags: node.tags,
    agent_ca_cert: node.agentCaCert,
    agent_cert_fingerprint: node.agentCertFingerprint,
  };
}

export function toNodeView(node: NodeEntity, extras: NodeViewExtras): NodeView {
  return {
    ...nodeSettingsView(node),
    agent_transport: agentTransport({
      agent_url: node.agentUrl,
      agent_ca_cert: node.agentCaCert,
      agent_cert_fingerprint: node.agentCertFingerprint,
    }),
    receipt_key: node.receiptKey,
    template_id: node.templateId,
    template_version: node.templateVersion,
    ...extras,
    version: node.version,
    created_at: node.createdAt.toISOString(),
    updated_at: node.updatedAt.toISOString(),
  };
}

export function toDesiredNode(node: NodeEntity): DesiredNode {
  return {
    id: node.id,
    name: node.name,
    interface: node.interface,
    endpoint: node.endpoint,
    address_pool: node.addressPool,
    address_pool_v6: node.addressPoolV6,
    listen_port: node.listenPort,
    public_key: node.publicKey,
    enabled: node.enabled,
    override_listen_port: node.overrideListenPort,
    override_dns: node.overrideDns,
    override_mtu: node.overrideMtu,
    override_keepalive: node.overrideKeepalive,
    override_endpoint_allowed_ip: node.overrideEndpointAllowedIp,
    template_settings: node.templateSettings,
  };
}

/** One setting a node's peers inherit (see nodeSettings). */
export class InheritedSettingView {
  @ApiProperty({ enum: NODE_SETTING_FIELDS, enumName: 'NodeSettingField' })
  field!: NodeSetting['field'];

  @ApiProperty({
    description: 'The effective value for a peer without its own',
    oneOf: [{ type: 'integer' }, { type: 'array', items: { type: 'string' } }],
    nullable: true,
  })
  value!: NodeSetting['value'];

  @ApiProperty({
    enum: SETTING_SOURCES,
    enumName: 'SettingSource',
    description:
      'This node (an override or its own port), the template version it runs, or the panel default ' +
      "(`peer` only in a peer's effective view)",
  })
  source!: NodeSetting['source'];
}

export class InheritedSettingsView {
  @ApiProperty({ format: 'uuid' })
  node_id!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  template_id!: string | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'the template version these values come from: the pinned one unless the request asked for another',
  })
  template_version!: number | null;

  @ApiProperty({ type: InheritedSettingView, isArray: true })
  settings!: InheritedSettingView[];
}
