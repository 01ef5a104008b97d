import { Migration } from '@mikro-orm/migrations';

/** Drift history, each node's latest drift state and peer activity. */
export class Migration20261127201000_drift extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "drift_scans" ("id" uuid not null, "node_id" uuid not null, "trigger" text not null, "status" text not null, "status_changed" boolean not null, "summary" jsonb not null, "fingerprint" text null, "report" jsonb not null, "error" text null, "checked_at" timestamptz not null, "duration_ms" int not null, constraint "drift_scans_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "drift_scans_node_history_index" on "drift_scans" ("node_id", "checked_at" desc, "id" desc);`,
    );
    this.addSql(`create index "drift_scans_checked_at_index" on "drift_scans" ("checked_at");`);

    this.addSql(
      `create table "node_drift_state" ("node_id" uuid not null, "status" text not null, "fingerprint" text null, "last_scan_id" uuid not null, "last_scan_at" timestamptz not null, "status_changed_at" timestamptz not null, constraint "node_drift_state_pkey" primary key ("node_id"));`,
    );

    this.addSql(
      `create table "peer_activity" ("peer_id" uuid not null, "node_id" uuid not null, "latest_handshake" timestamptz null, "last_rx" bigint not null, "last_tx" bigint not null, "total_rx" bigint not null, "total_tx" bigint not null, "endpoint" text null, "updated_at" timestamptz not null, constraint "peer_activity_pkey" primary key ("peer_id"));`,
    );
    this.addSql(`create index "peer_activity_node_id_index" on "peer_activity" ("node_id");`);
  }
}
