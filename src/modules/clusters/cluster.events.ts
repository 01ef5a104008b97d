import type { DomainEvent } from '../events';
import type { SealedDnsConfig } from './domain/dns-config';

/** A member's state as the failover checks see it; a new member starts `unhealthy` until checked. */
export const MEMBER_HEALTHS = ['healthy', 'unhealthy', 'draining'] as const;
export type MemberHealth = (typeof MEMBER_HEALTHS)[number];

/** Cluster state as carried by events (snake_case, as in the API); DNS secrets only ever sealed. */
export interface ClusterState {
  name: string;
  /** The DNS name clients connect to; its address is whichever member DNS publishes. */
  endpoint_host: string;
  endpoint_port: number;
  address_pool: string;
  address_pool_v6: string | null;
  /** The interface public key every member shares; null until given or taken from the first member. */
  public_key: string | null;
  dns: SealedDnsConfig | null;
}

export const CLUSTER_CREATED = 'cluster.created';
export const CLUSTER_UPDATED = 'cluster.updated';
export const CLUSTER_DELETED = 'cluster.deleted';
export const CLUSTER_MEMBER_ADDED = 'cluster.member_added';
export const CLUSTER_MEMBER_REMOVED = 'cluster.member_removed';

export type ClusterCreatedPayload = ClusterState;
export interface ClusterUpdatedPayload {
  changes: Partial<ClusterState>;
}
export interface ClusterDeletedPayload {
  name: string;
}
export interface ClusterMemberAddedPayload {
  node_id: string;
  /** Set when the first member gave the cluster its key. */
  public_key: string | null;
}
export interface ClusterMemberRemovedPayload {
  node_id: string;
}

export type ClusterCreated = DomainEvent<'cluster', typeof CLUSTER_CREATED, ClusterCreatedPayload>;
export type ClusterUpdated = DomainEvent<'cluster', typeof CLUSTER_UPDATED, ClusterUpdatedPayload>;
/** Refused while the cluster has members or peers, so nothing goes with it. */
export type ClusterDeleted = DomainEvent<'cluster', typeof CLUSTER_DELETED, ClusterDeletedPayload>;
export type ClusterMemberAdded = DomainEvent<
  'cluster',
  typeof CLUSTER_MEMBER_ADDED,
  ClusterMemberAddedPayload
>;
export type ClusterMemberRemoved = DomainEvent<
  'cluster',
  typeof CLUSTER_MEMBER_REMOVED,
  ClusterMemberRemovedPayload
>;

/** Every event of a cluster's stream. */
export type ClusterEvent =
  ClusterCreated | ClusterUpdated | ClusterDeleted | ClusterMemberAdded | ClusterMemberRemoved;
