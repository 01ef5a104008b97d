import { Migration } from '@mikro-orm/migrations';

/**
 * A peer's open usage period moves onto its `peer_activity` row, which every scan rewrites anyway: the period and
 * the transfer totals when it began, so its usage is the totals minus that baseline and a scan writes nothing
 * else for usage. `peer_usage` keeps the closed periods, written once each.
 */
export class Migration20261202130000_usage_on_activity extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "peer_activity" add column "usage_period" text null, add column "usage_period_start" timestamptz null, add column "usage_period_end" timestamptz null, add column "usage_rx_base" bigint not null default 0, add column "usage_tx_base" bigint not null default 0;`,
    );
    // The period a peer's traffic last went to is its open one; its baseline makes totals minus baseline its bytes.
    this.addSql(
      `update "peer_activity" a set "usage_period" = u."period", "usage_period_start" = u."period_start", "usage_period_end" = u."period_end", "usage_rx_base" = a."total_rx" - u."rx_bytes", "usage_tx_base" = a."total_tx" - u."tx_bytes" from (select distinct on ("peer_id") * from "peer_usage" order by "peer_id", "updated_at" desc, "period_start" desc) u where u."peer_id" = a."peer_id";`,
    );
    this.addSql(
      `delete from "peer_usage" u using "peer_activity" a where a."peer_id" = u."peer_id" and u."period" = a."usage_period" and u."period_start" = a."usage_period_start";`,
    );
    // No longer rewritten per scan: pages can be full again.
    this.addSql(`alter table "peer_usage" reset (fillfactor);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "peer_usage" set (fillfactor = 50);`);
    this.addSql(
      `insert into "peer_usage" ("peer_id", "period", "period_start", "period_end", "rx_bytes", "tx_bytes", "updated_at") select "peer_id", "usage_period", "usage_period_start", "usage_period_end", "total_rx" - "usage_rx_base", "total_tx" - "usage_tx_base", "updated_at" from "peer_activity" where "usage_period" is not null on conflict ("peer_id", "period", "period_start") do update set "rx_bytes" = "peer_usage"."rx_bytes" + excluded."rx_bytes", "tx_bytes" = "peer_usage"."tx_bytes" + excluded."tx_bytes";`,
    );
    this.addSql(
      `alter table "peer_activity" drop column "usage_period", drop column "usage_period_start", drop column "usage_period_end", drop column "usage_rx_base", drop column "usage_tx_base";`,
    );
  }
}
