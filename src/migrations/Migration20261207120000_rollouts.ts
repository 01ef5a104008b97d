import { Migration } from '@mikro-orm/migrations';

/** Staged rollouts and their nodes (docs/ARCHITECTURE.md, Rollouts); a node is in one unfinished rollout at most. */
export class Migration20261207120000_rollouts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "rollouts" (
      "id" uuid not null primary key,
      "kind" text not null,
      "template_id" uuid null,
      "template_version" integer null,
      "status" text not null,
      "direction" text not null default 'forward',
      "options" jsonb not null,
      "waves" jsonb not null,
      "order" jsonb not null default '[]',
      "cursor" integer not null default 0,
      "phase" text null,
      "phase_started_at" timestamptz null,
      "progress" jsonb null,
      "halt" jsonb null,
      "event_version" integer not null default 0,
      "rev" integer not null default 1,
      "lease_owner" text null,
      "lease_until" timestamptz null,
      "requested_by" text null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null);`);
    this.addSql(`create index "rollouts_status_index" on "rollouts" ("status");`);
    this.addSql(`create table "rollout_nodes" (
      "rollout_id" uuid not null references "rollouts" ("id") on delete cascade,
      "node_id" uuid not null,
      "wave" integer not null,
      "plan_id" uuid not null,
      "previous_pin" jsonb null,
      "status" text not null default 'pending',
      "job_id" uuid null,
      "result" jsonb null,
      "active" boolean not null default true,
      primary key ("rollout_id", "node_id"));`);
    this.addSql(
      `create unique index "rollout_nodes_one_active_per_node" on "rollout_nodes" ("node_id") where "active";`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table "rollout_nodes";`);
    this.addSql(`drop table "rollouts";`);
  }
}
