/**
 * The view over `nodes` that other modules' SQL reads instead of the table (created by a migration; no secrets,
 * no agent address): id, name, enabled, version, tags. Interpolate this name into a statement.
 */
export const PUBLISHED_NODES = 'published_nodes';
