import { Migration } from '@mikro-orm/migrations';

/**
 * Node tags (docs/API.md "Node tags"): a key → value map, {} = none. GIN so `tags @> '{"region":"eu"}'` (the
 * list's `?tag=` and other modules' selection by tag) reads the index. `published_nodes` carries them for the
 * modules that join nodes (appended last: `create or replace view` only appends columns).
 */
export class Migration20261207100000_node_tags extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "nodes" add column "tags" jsonb not null default '{}';`);
    this.addSql(`create index "nodes_tags_gin" on "nodes" using gin ("tags" jsonb_path_ops);`);
    this.addSql(
      `create or replace view "published_nodes" as select "id", "name", "enabled", "version", "tags" from "nodes";`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop view "published_nodes";`);
    this.addSql(`create view "published_nodes" as select "id", "name", "enabled", "version" from "nodes";`);
    this.addSql(`drop index "nodes_tags_gin";`);
    this.addSql(`alter table "nodes" drop column "tags";`);
  }
}
