/**
 * The view over `cluster_members` that other modules' SQL reads instead of the table (created by a migration):
 * node_id, cluster_id, health, published. Interpolate this name into a statement.
 */
export const PUBLISHED_CLUSTER_MEMBERS = 'published_cluster_members';
