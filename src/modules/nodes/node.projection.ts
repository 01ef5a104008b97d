import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Projection, RecordedEvent } from '../events';
import { NodeEntity } from './node.entity';
import { NODE_DELETED, NODE_REGISTERED, NODE_UPDATED, NodeEvent, NodeState } from './node.events';

/** Column values of the nodes table for (part of) a node state. */
export function nodeColumns(state: Partial<NodeState>): Partial<NodeEntity> {
  const columns: Partial<NodeEntity> = {};
  const set = <K extends keyof NodeEntity>(key: K, value: NodeEntity[K] | undefined) => {
    if (value !== undefined) columns[key] = value;
  };
  set('name', state.name);
  set('agentUrl', state.agent_url);
  set('interface', state.interface);
  set('endpoint', state.endpoint);
  set('addressPool', state.address_pool);
  set('addressPoolV6', state.address_pool_v6);
  set('listenPort', state.listen_port);
  set('publicKey', state.public_key);
  set('enabled', state.enabled);
  set('overrideListenPort', state.override_listen_port);
  set('overrideDns', state.override_dns);
  set('overrideMtu', state.override_mtu);
  set('overrideKeepalive', state.override_keepalive);
  set('overrideEndpointAllowedIp', state.override_endpoint_allowed_ip);
  set('autoReconcile', state.auto_reconcile);
  set('agentSecretSealed', state.agent_secret_sealed);
  set('agentCaCert', state.agent_ca_cert);
  set('agentCertFingerprint', state.agent_cert_fingerprint);
  set('receiptKey', state.receipt_key);
  set('templateId', state.template_id);
  set('templateVersion', state.template_version);
  set('templateSettings', state.template_settings);
  set('tags', state.tags);
  return columns;
}

@Injectable()
export class NodeProjection implements Projection<NodeEvent> {
  readonly name = 'nodes';
  readonly tables = ['nodes'];
  readonly canHandle = [NODE_REGISTERED, NODE_UPDATED, NODE_DELETED] as const;

  async handle(em: EntityManager, events: RecordedEvent<NodeEvent>[]): Promise<void> {
    for (const event of events) await this.apply(em, event);
  }

  private async apply(em: EntityManager, event: RecordedEvent<NodeEvent>): Promise<void> {
    const id = event.aggregateId;
    switch (event.type) {
      case NODE_REGISTERED:
        await em.insert(NodeEntity, {
          id,
          ...nodeColumns(event.payload),
          version: event.version,
          createdAt: event.createdAt,
          updatedAt: event.createdAt,
        });
        return;
      case NODE_UPDATED:
        await em.nativeUpdate(
          NodeEntity,
          { id },
          {
            ...nodeColumns(event.payload.changes),
            version: event.version,
            updatedAt: event.createdAt,
          },
        );
        return;
      case NODE_DELETED:
        // The peers projection drops the node's peers on the same event.
        await em.nativeDelete(NodeEntity, { id });
        return;
    }
  }
}
