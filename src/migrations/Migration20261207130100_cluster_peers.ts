import { Migration } from '@mikro-orm/migrations';

const PEER_COLUMNS = `"id", "node_id", "name", "public_key", "version", "enabled", "expires_at", "quota_bytes", "quota_period", "suspended_reason", "created_at"`;

/**
 * Cluster peers (docs/ARCHITECTURE.md "Clusters"): one row per client with `cluster_id` set, carried by every
 * member, so its sync state is per (peer, node) from now on. `published_peers` gains `cluster_id` (appended last:
 * `create or replace view` only appends columns).
 */
export class Migration20261207130100_cluster_peers extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "peers" add column "cluster_id" uuid null;`);
    this.addSql(
      `create index "peers_cluster_id_index" on "peers" ("cluster_id") where "cluster_id" is not null;`,
    );
    this.addSql(
      `create or replace view "published_peers" as select ${PEER_COLUMNS}, "cluster_id" from "peers";`,
    );
    this.addSql(`alter table "peer_sync_state" drop constraint "peer_sync_state_pkey";`);
    this.addSql(
      `alter table "peer_sync_state" add constraint "peer_sync_state_pkey" primary key ("peer_id", "node_id");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `delete from "peer_sync_state" s using "peers" p where p.id = s.peer_id and p.cluster_id is not null;`,
    );
    this.addSql(`alter table "peer_sync_state" drop constraint "peer_sync_state_pkey";`);
    this.addSql(
      `alter table "peer_sync_state" add constraint "peer_sync_state_pkey" primary key ("peer_id");`,
    );
    this.addSql(`drop view "published_peers";`);
    this.addSql(`create view "published_peers" as select ${PEER_COLUMNS} from "peers";`);
    this.addSql(`drop index "peers_cluster_id_index";`);
    this.addSql(`alter table "peers" drop column "cluster_id";`);
  }
}
