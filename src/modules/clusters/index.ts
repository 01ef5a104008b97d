export { CLUSTER_PEER_COUNT } from './cluster-peer-usage';
export { ClusterMemberStates, ClusterReader } from './cluster-reader';
export type { ClusterWithMembers } from './cluster-reader';
export { ClusterEntity, ClusterMemberEntity } from './cluster.entity';
export {
  CLUSTER_CREATED,
  CLUSTER_DELETED,
  CLUSTER_MEMBER_ADDED,
  CLUSTER_MEMBER_REMOVED,
  CLUSTER_UPDATED,
  MEMBER_HEALTHS,
} from './cluster.events';
export type {
  ClusterCreated,
  ClusterDeleted,
  ClusterEvent,
  ClusterMemberAdded,
  ClusterMemberRemoved,
  ClusterUpdated,
  MemberHealth,
} from './cluster.events';
export type { DnsConfig } from './domain/dns-config';
export { keyFingerprint } from './domain/member-key';
export { ClustersService } from './clusters.service';
export { PUBLISHED_CLUSTER_MEMBERS } from './published-cluster-members';
export { clusterAsDesiredNode } from './cluster-as-node';
