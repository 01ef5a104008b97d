import type { DomainEvent } from '../events';

/**
 * Health and publishing events: each its own one-event stream (a fresh aggregate id), so a check never contends
 * with an operator's change of the cluster for the cluster's stream version. Every payload names its cluster.
 */
export const CLUSTER_HEALTH_AGGREGATE = 'cluster_health';
export const CLUSTER_MEMBER_DOWN = 'cluster.member_down';
export const CLUSTER_MEMBER_UP = 'cluster.member_up';
export const CLUSTER_PUBLISHED = 'cluster.published';
export const CLUSTER_MEMBER_DRAINING = 'cluster.member_draining';
export const CLUSTER_MEMBER_DRAINED = 'cluster.member_drained';
export const CLUSTER_MEMBER_UNDRAINED = 'cluster.member_undrained';

export interface MemberHealthPayload {
  cluster_id: string;
  node_id: string;
  /** Why the last check failed (member_down), or null. */
  problem: string | null;
}
export interface PublishedPayload {
  cluster_id: string;
  host: string;
  addresses: string[];
  /** No member was healthy: the last set stayed in DNS rather than none. */
  kept_last: boolean;
}
export interface DrainPayload {
  cluster_id: string;
  node_id: string;
  plan_id: string;
}
export interface DrainedPayload {
  cluster_id: string;
  node_id: string;
  /** `clients_left`: no client handshakes with it any more; `timeout`: CLUSTER_DRAIN_TIMEOUT_S passed first. */
  outcome: 'clients_left' | 'timeout';
}

type E<T extends string, P extends object> = DomainEvent<typeof CLUSTER_HEALTH_AGGREGATE, T, P>;
export type ClusterMemberDown = E<typeof CLUSTER_MEMBER_DOWN, MemberHealthPayload>;
export type ClusterMemberUp = E<typeof CLUSTER_MEMBER_UP, MemberHealthPayload>;
export type ClusterPublished = E<typeof CLUSTER_PUBLISHED, PublishedPayload>;
export type ClusterMemberDraining = E<typeof CLUSTER_MEMBER_DRAINING, DrainPayload>;
export type ClusterMemberDrained = E<typeof CLUSTER_MEMBER_DRAINED, DrainedPayload>;
export type ClusterMemberUndrained = E<typeof CLUSTER_MEMBER_UNDRAINED, DrainPayload>;

export type ClusterHealthEvent =
  | ClusterMemberDown
  | ClusterMemberUp
  | ClusterPublished
  | ClusterMemberDraining
  | ClusterMemberDrained
  | ClusterMemberUndrained;
