import { Migration } from '@mikro-orm/migrations';

export class Migration20261127202100_sync extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "peer_sync_state" (
      "peer_id" uuid not null, "node_id" uuid not null, "applied_version" int not null, "status" text not null,
      "error" text null, "updated_at" timestamptz not null,
      constraint "peer_sync_state_pkey" primary key ("peer_id"),
      constraint "peer_sync_state_status_check" check ("status" in ('applied', 'failed')));`);
    this.addSql(`create index "peer_sync_state_node_id_index" on "peer_sync_state" ("node_id");`);

    this.addSql(`create table "node_sync_state" (
      "node_id" uuid not null, "applied_version" int not null, "updated_at" timestamptz not null,
      constraint "node_sync_state_pkey" primary key ("node_id"));`);

    this.addSql(`create table "pending_removals" (
      "node_id" uuid not null, "public_key" text not null, "peer_id" uuid not null, "name" text not null,
      "error" text null, "created_at" timestamptz not null,
      constraint "pending_removals_pkey" primary key ("node_id", "public_key"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "pending_removals";`);
    this.addSql(`drop table if exists "node_sync_state";`);
    this.addSql(`drop table if exists "peer_sync_state";`);
  }
}
