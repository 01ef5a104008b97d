import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { TemplateSettings } from '../../common/domain/desired-state';
import type { NodeTags } from '../../common/domain/node-tags';
import type { AutoReconcileMode } from './node.events';

/** Read model of a node, projected from its events. */
@Entity({ tableName: 'nodes' })
export class NodeEntity {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text', unique: true })
  name!: string;

  @Property({ type: 'text' })
  agentUrl!: string;

  @Property({ type: 'text' })
  interface!: string;

  @Property({ type: 'text' })
  endpoint!: string;

  @Property({ type: 'text' })
  addressPool!: string;

  @Property({ type: 'text', nullable: true })
  addressPoolV6: string | null = null;

  @Property({ type: 'integer', nullable: true })
  listenPort: number | null = null;

  @Property({ type: 'text', nullable: true })
  publicKey: string | null = null;

  @Property({ type: 'boolean' })
  enabled: boolean = true;

  @Property({ type: 'integer', nullable: true })
  overrideListenPort: number | null = null;

  @Property({ type: 'jsonb', nullable: true })
  overrideDns: string[] | null = null;

  @Property({ type: 'integer', nullable: true })
  overrideMtu: number | null = null;

  @Property({ type: 'integer', nullable: true })
  overrideKeepalive: number | null = null;

  @Property({ type: 'jsonb', nullable: true })
  overrideEndpointAllowedIp: string[] | null = null;

  @Property({ type: 'text' })
  autoReconcile: AutoReconcileMode = 'off';

  /** Sealed with PANEL_SECRET_KEY; never leaves the panel except in signed agent requests. */
  @Property({ type: 'text' })
  agentSecretSealed!: string;

  @Property({ type: 'text', nullable: true })
  agentCaCert: string | null = null;

  @Property({ type: 'text', nullable: true })
  agentCertFingerprint: string | null = null;

  /** The agent's receipt public key pinned at registration (docs/AUDIT.md "Node receipts"); null = none. */
  @Property({ type: 'text', nullable: true })
  receiptKey: string | null = null;

  /** The template the node follows (docs/API.md, Templates); null = none. */
  @Property({ type: 'uuid', nullable: true, index: true })
  templateId: string | null = null;

  /** The template version the node runs: a template edit changes nothing here until the node is pinned again. */
  @Property({ type: 'integer', nullable: true })
  templateVersion: number | null = null;

  @Property({ type: 'jsonb', nullable: true })
  templateSettings: TemplateSettings | null = null;
  @Property({ type: 'jsonb', default: '{}' })
  tags: NodeTags = {};

  @Property({ type: 'integer' })
  version!: number;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}
