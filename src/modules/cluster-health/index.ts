export { ClusterHealthModule } from './cluster-health.module';
export { CLUSTER_HEALTH_AGGREGATE } from './cluster-health.events';
export type { ClusterHealthEvent } from './cluster-health.events';
