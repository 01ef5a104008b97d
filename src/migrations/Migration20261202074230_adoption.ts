import { Migration } from '@mikro-orm/migrations';

export class Migration20261202074230_adoption extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "peers" add column "origin" text not null default 'created',
      add constraint "peers_origin_check" check ("origin" in ('created', 'adopted'));`);
    this.addSql(`create table "adoption_plans" (
      "id" uuid not null, "node_id" uuid not null, "plan" jsonb not null, "fingerprint" text not null,
      "requested_by" text null, "created_at" timestamptz not null,
      constraint "adoption_plans_pkey" primary key ("id"));`);
    this.addSql(`create index "adoption_plans_node_id_index" on "adoption_plans" ("node_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "adoption_plans";`);
    this.addSql(`alter table "peers" drop constraint "peers_origin_check", drop column "origin";`);
  }
}
