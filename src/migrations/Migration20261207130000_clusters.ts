import { Migration } from '@mikro-orm/migrations';

/** Clusters and their members (docs/ARCHITECTURE.md "Clusters"); a node is in at most one cluster. */
export class Migration20261207130000_clusters extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "clusters" ("id" uuid not null, "name" text not null, "endpoint_host" text not null,
        "endpoint_port" int not null, "address_pool" text not null, "address_pool_v6" text null,
        "public_key" text null, "dns" jsonb null, "version" int not null, "created_at" timestamptz not null,
        "updated_at" timestamptz not null, constraint "clusters_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "clusters" add constraint "clusters_name_unique" unique ("name");`);
    this.addSql(
      `create table "cluster_members" ("node_id" uuid not null, "cluster_id" uuid not null,
        "health" text not null default 'unhealthy', "published" boolean not null default false,
        "created_at" timestamptz not null, "updated_at" timestamptz not null,
        constraint "cluster_members_pkey" primary key ("node_id"));`,
    );
    this.addSql(`create index "cluster_members_cluster_id_index" on "cluster_members" ("cluster_id");`);
    this.addSql(
      `create view "published_cluster_members" as select "node_id", "cluster_id", "health", "published" from "cluster_members";`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop view if exists "published_cluster_members";`);
    this.addSql(`drop table if exists "cluster_members";`);
    this.addSql(`drop table if exists "clusters";`);
  }
}
