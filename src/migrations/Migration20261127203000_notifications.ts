import { Migration } from '@mikro-orm/migrations';

/** Webhook subscriptions, the alert outbox (notifications and deliveries), the attempt log and alert memory. */
export class Migration20261127203000_notifications extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "webhook_subscriptions" ("id" uuid not null, "url" text not null, "events" jsonb not null, "enabled" boolean not null, "format" text not null, "description" text null, "secret_sealed" text not null, "previous_secret_sealed" text null, "previous_secret_expires_at" timestamptz null, "disabled_reason" text null, "version" int not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "webhook_subscriptions_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "webhook_notifications" ("id" uuid not null, "msg_id" text not null, "type" text not null, "node_id" uuid null, "payload" jsonb not null, "created_at" timestamptz not null, constraint "webhook_notifications_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "webhook_notifications" add constraint "webhook_notifications_msg_id_unique" unique ("msg_id");`,
    );

    this.addSql(
      `create table "webhook_deliveries" ("id" uuid not null, "notification_id" uuid not null, "subscription_id" uuid not null, "status" text not null, "attempts" int not null default 0, "next_attempt_at" timestamptz null, "last_status_code" int null, "last_error" text null, "delivered_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "webhook_deliveries_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_notification_id_foreign" foreign key ("notification_id") references "webhook_notifications" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_subscription_id_foreign" foreign key ("subscription_id") references "webhook_subscriptions" ("id") on delete cascade;`,
    );
    this.addSql(
      `create index "webhook_deliveries_subscription_id_created_at_id_index" on "webhook_deliveries" ("subscription_id", "created_at", "id");`,
    );
    this.addSql(
      `create index "webhook_deliveries_notification_id_index" on "webhook_deliveries" ("notification_id");`,
    );
    // The sweeper's question, "what is still to deliver?", stays cheap however long the log grows.
    this.addSql(
      `create index "webhook_deliveries_pending_index" on "webhook_deliveries" ("next_attempt_at") where "status" = 'pending';`,
    );

    this.addSql(
      `create table "webhook_delivery_attempts" ("id" uuid not null, "delivery_id" uuid not null, "attempt" int not null, "status_code" int null, "duration_ms" int not null, "response_excerpt" text null, "error" text null, "created_at" timestamptz not null, constraint "webhook_delivery_attempts_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "webhook_delivery_attempts" add constraint "webhook_delivery_attempts_delivery_id_foreign" foreign key ("delivery_id") references "webhook_deliveries" ("id") on delete cascade;`,
    );
    this.addSql(
      `create index "webhook_delivery_attempts_delivery_id_attempt_index" on "webhook_delivery_attempts" ("delivery_id", "attempt");`,
    );

    this.addSql(
      `create table "node_alert_state" ("node_id" uuid not null, "state" jsonb null, "node_name" text not null, "last_scan_id" text null, "last_summary" jsonb null, "last_checked_at" timestamptz null, "recheck_at" timestamptz null, "updated_at" timestamptz not null, constraint "node_alert_state_pkey" primary key ("node_id"));`,
    );
    this.addSql(
      `create index "node_alert_state_recheck_at_index" on "node_alert_state" ("recheck_at") where "recheck_at" is not null;`,
    );
  }
}
