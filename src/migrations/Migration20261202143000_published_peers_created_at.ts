import { Migration } from '@mikro-orm/migrations';

const COLUMNS = `"id", "node_id", "name", "public_key", "version", "enabled", "expires_at", "quota_bytes", "quota_period", "suspended_reason"`;

/**
 * A `total` quota period starts at the peer's creation, so lifecycle's SQL, which reads peers through
 * `published_peers`, needs `created_at` there too (added last: `create or replace view` only appends columns).
 */
export class Migration20261202143000_published_peers_created_at extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace view "published_peers" as select ${COLUMNS}, "created_at" from "peers";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop view "published_peers";`);
    this.addSql(`create view "published_peers" as select ${COLUMNS} from "peers";`);
  }
}
