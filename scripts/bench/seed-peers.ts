import { Client } from 'pg';

export interface SeedPeer {
  id: string;
  node_id: string;
  name: string;
  public_key: string;
  allowed_ips: string[];
}

/**
 * Writes peers' read models the way the peer projection does and marks them (and every node) as applied by
 * sync, so the sync job stays idle while a benchmark measures something else. Creating 100,000 peers through
 * the API would measure peer creation, not the figure at hand, and take far longer. Benchmarks only.
 */
export async function seedAppliedPeers(db: Client, peers: SeedPeer[]): Promise<void> {
  const json = JSON.stringify(peers);
  await db.query('begin');
  try {
    await db.query(
      `insert into peers (id, node_id, name, public_key, allowed_ips, enabled, version, created_at, updated_at)
       select id, node_id, name, public_key, allowed_ips, true, 1, now(), now()
       from jsonb_to_recordset($1::jsonb) as row(id uuid, node_id uuid, name text, public_key text, allowed_ips jsonb)`,
      [json],
    );
    await db.query(
      `insert into node_managed_keys (node_id, public_key, peer_id, name)
       select node_id, public_key, id, name
       from jsonb_to_recordset($1::jsonb) as row(id uuid, node_id uuid, name text, public_key text)`,
      [json],
    );
    await db.query(
      `insert into peer_sync_state (peer_id, node_id, applied_version, status, updated_at)
       select id, node_id, 1, 'applied', now() from jsonb_to_recordset($1::jsonb) as row(id uuid, node_id uuid)`,
      [json],
    );
    await db.query(
      `insert into node_sync_state (node_id, applied_version, updated_at) select id, version, now() from nodes
       on conflict (node_id) do update set applied_version = excluded.applied_version`,
    );
    await db.query('commit');
  } catch (error) {
    await db.query('rollback');
    throw error;
  }
}
