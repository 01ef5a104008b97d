/**
 * The view over `peers` that other modules' SQL reads instead of the table (created by a migration; no secrets):
 * id, node_id, name, public_key, version, enabled, expires_at, quota_bytes, quota_period, suspended_reason,
 * created_at.
 * Interpolate this name into a statement; a new column goes into the view first.
 */
export const PUBLISHED_PEERS = 'published_peers';
