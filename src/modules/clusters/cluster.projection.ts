import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Projection, RecordedEvent } from '../events';
import { NODE_DELETED, type NodeDeleted } from '../nodes';
import { ClusterEntity } from './cluster.entity';
import {
  CLUSTER_CREATED,
  CLUSTER_DELETED,
  CLUSTER_MEMBER_ADDED,
  CLUSTER_MEMBER_REMOVED,
  CLUSTER_UPDATED,
  ClusterEvent,
  ClusterState,
} from './cluster.events';
import { ClustersStore } from './clusters.store';

/** Column values of the clusters table for (part of) a cluster state. */
function clusterColumns(state: Partial<ClusterState>): Partial<ClusterEntity> {
  const columns: Partial<ClusterEntity> = {};
  const set = <K extends keyof ClusterEntity>(key: K, value: ClusterEntity[K] | undefined) => {
    if (value !== undefined) columns[key] = value;
  };
  set('name', state.name);
  set('endpointHost', state.endpoint_host);
  set('endpointPort', state.endpoint_port);
  set('addressPool', state.address_pool);
  set('addressPoolV6', state.address_pool_v6);
  set('publicKey', state.public_key);
  set('dns', state.dns);
  return columns;
}

type ClustersEvent = ClusterEvent | NodeDeleted;

@Injectable()
export class ClusterProjection implements Projection<ClustersEvent> {
  readonly name = 'clusters';
  readonly tables = ['clusters', 'cluster_members'];
  readonly canHandle = [
    CLUSTER_CREATED,
    CLUSTER_UPDATED,
    CLUSTER_DELETED,
    CLUSTER_MEMBER_ADDED,
    CLUSTER_MEMBER_REMOVED,
    NODE_DELETED,
  ] as const;

  constructor(private readonly store: ClustersStore) {}

  async handle(em: EntityManager, events: RecordedEvent<ClustersEvent>[]): Promise<void> {
    for (const event of events) await this.apply(em, event);
  }

  private async apply(em: EntityManager, event: RecordedEvent<ClustersEvent>): Promise<void> {
    const id = event.aggregateId;
    const touched = { version: event.version, updatedAt: event.createdAt };
    switch (event.type) {
      case CLUSTER_CREATED:
        await this.store.insertCluster(em, {
          id,
          name: event.payload.name,
          endpointHost: event.payload.endpoint_host,
          endpointPort: event.payload.endpoint_port,
          addressPool: event.payload.address_pool,
          addressPoolV6: event.payload.address_pool_v6,
          publicKey: event.payload.public_key,
          dns: event.payload.dns,
          version: event.version,
          createdAt: event.createdAt,
          updatedAt: event.createdAt,
        });
        return;
      case CLUSTER_UPDATED:
        await this.store.updateCluster(em, id, { ...clusterColumns(event.payload.changes), ...touched });
        return;
      case CLUSTER_DELETED:
        await this.store.deleteCluster(em, id);
        return;
      case CLUSTER_MEMBER_ADDED: {
        const { node_id, public_key } = event.payload;
        await this.store.insertMember(em, id, node_id, event.createdAt);
        await this.store.updateCluster(em, id, {
          ...(public_key ? { publicKey: public_key } : {}),
          ...touched,
        });
        return;
      }
      case CLUSTER_MEMBER_REMOVED:
        await this.store.deleteMember(em, event.payload.node_id);
        await this.store.updateCluster(em, id, touched);
        return;
      case NODE_DELETED:
        // A deleted node leaves its cluster; the cluster's version stays, as nothing of its own changed.
        await this.store.deleteMember(em, id);
        return;
    }
  }
}
