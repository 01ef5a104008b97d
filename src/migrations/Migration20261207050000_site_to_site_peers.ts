import { Migration } from '@mikro-orm/migrations';

/** Equal to PEER_HOLDS_RANGES of the peers store, whose statements this index serves. */
const PEER_HOLDS_RANGES = `(routed_ips <> '[]'::jsonb or allowed_ips::text ~ '/([0-9]|[12][0-9]|3[013-9]|[4-9][0-9]|1[01][0-9]|12[0-7])"')`;

/**
 * Site-to-site peers: the networks a peer routes and the endpoint the node sends to. The partial index finds
 * a node's peers that hold more than single addresses (routed networks, or an address range), which peer
 * creation and adoption check every request against; ordinary peers are not in it.
 */
export class Migration20261207050000_site_to_site_peers extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "peers" add column "routed_ips" jsonb not null default '[]';`);
    this.addSql(`alter table "peers" add column "endpoint" text null;`);
    this.addSql(
      `create index "peers_node_id_ranges_index" on "peers" ("node_id") where ${PEER_HOLDS_RANGES};`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "peers_node_id_ranges_index";`);
    this.addSql(`alter table "peers" drop column "endpoint";`);
    this.addSql(`alter table "peers" drop column "routed_ips";`);
  }
}
