import { Migration } from '@mikro-orm/migrations';

export class Migration20261127202000_reconcile extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "reconcile_jobs" (
      "id" uuid not null, "node_id" uuid not null, "status" text not null default 'queued', "trigger" text not null,
      "options" jsonb not null, "plan" jsonb null, "result" jsonb null, "error" text null,
      "attempts" int not null default 0, "requested_by" text null, "created_at" timestamptz not null,
      "started_at" timestamptz null, "finished_at" timestamptz null,
      constraint "reconcile_jobs_pkey" primary key ("id"),
      constraint "reconcile_jobs_status_check" check ("status" in ('queued', 'running', 'succeeded', 'failed')));`);
    this.addSql(
      `create index "reconcile_jobs_node_id_created_at_index" on "reconcile_jobs" ("node_id", "created_at");`,
    );
    this.addSql(`create index "reconcile_jobs_status_index" on "reconcile_jobs" ("status");`);

    this.addSql(`create table "reconcile_plans" (
      "id" uuid not null, "node_id" uuid not null, "options" jsonb not null, "plan" jsonb not null,
      "fingerprint" text not null, "requested_by" text null, "created_at" timestamptz not null,
      constraint "reconcile_plans_pkey" primary key ("id"));`);
    this.addSql(`create index "reconcile_plans_node_id_index" on "reconcile_plans" ("node_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "reconcile_plans";`);
    this.addSql(`drop table if exists "reconcile_jobs";`);
  }
}
