import { Migration } from '@mikro-orm/migrations';

/** Peer expiry, data quotas, suspension, and usage per quota period. */
export class Migration20261202090000_peer_lifecycle extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "peers" add column "expires_at" timestamptz null, add column "quota_bytes" bigint null, add column "quota_period" text not null default 'month', add column "suspended_reason" text null;`,
    );
    // The enforcement pass reads only peers with something to enforce or lift.
    this.addSql(
      `create index "peers_lifecycle_index" on "peers" ("id") where "expires_at" is not null or "quota_bytes" is not null or "suspended_reason" is not null;`,
    );
    this.addSql(
      `create table "peer_usage" ("peer_id" uuid not null, "period" text not null, "period_start" timestamptz not null, "period_end" timestamptz null, "rx_bytes" bigint not null default 0, "tx_bytes" bigint not null default 0, "updated_at" timestamptz not null, constraint "peer_usage_pkey" primary key ("peer_id", "period", "period_start"));`,
    );
    this.addSql(`create index "peer_usage_period_end_index" on "peer_usage" ("period_end");`);
    // What each peer was last warned about, so a warning goes out once per period or expiry.
    this.addSql(
      `create table "peer_alert_state" ("peer_id" uuid not null, "expiry_warned_for" timestamptz null, "quota_warned_period_start" timestamptz null, constraint "peer_alert_state_pkey" primary key ("peer_id"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "peer_alert_state";`);
    this.addSql(`drop table if exists "peer_usage";`);
    this.addSql(`drop index if exists "peers_lifecycle_index";`);
    this.addSql(
      `alter table "peers" drop column "expires_at", drop column "quota_bytes", drop column "quota_period", drop column "suspended_reason";`,
    );
  }
}
