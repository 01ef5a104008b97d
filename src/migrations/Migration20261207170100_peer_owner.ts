import { Migration } from '@mikro-orm/migrations';

/** A peer's owner (docs/API.md "Self-service"): the user whose device it is; null for every peer so far. */
export class Migration20261207170100_peer_owner extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "peers" add column "owner" uuid null;`);
    this.addSql(`create index "peers_owner_index" on "peers" ("owner");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "peers_owner_index";`);
    this.addSql(`alter table "peers" drop column "owner";`);
  }
}
