import { Migration } from '@mikro-orm/migrations';

/**
 * The rows of `peers` and `nodes` other modules' SQL may read, as views their owners publish: the owning module
 * can change its tables while these columns hold, and no other module sees a sealed secret. PostgreSQL inlines
 * a plain view, so a join through one costs what the join on the table did.
 */
export class Migration20261202140000_published_views extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create view "published_peers" as select "id", "node_id", "name", "public_key", "version", "enabled", "expires_at", "quota_bytes", "quota_period", "suspended_reason" from "peers";`,
    );
    this.addSql(`create view "published_nodes" as select "id", "name", "enabled", "version" from "nodes";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop view "published_nodes";`);
    this.addSql(`drop view "published_peers";`);
  }
}
