import { Migration } from '@mikro-orm/migrations';

/**
 * Drift reports move out of `drift_scans` into `drift_reports`, shared by the scans that found the same
 * report: a node whose state did not change since its previous scan stores a small scan row that refers to
 * the report already stored. Each existing scan keeps its own report.
 */
export class Migration20261202120000_drift_reports extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "drift_reports" ("id" uuid not null, "node_id" uuid not null, "content_hash" text null, "report" jsonb not null, constraint "drift_reports_pkey" primary key ("id"));`,
    );
    this.addSql(
      `insert into "drift_reports" ("id", "node_id", "report") select "id", "node_id", "report" from "drift_scans";`,
    );
    this.addSql(`alter table "drift_scans" add column "report_id" uuid null;`);
    this.addSql(`update "drift_scans" set "report_id" = "id";`);
    this.addSql(
      `alter table "drift_scans" alter column "report_id" set not null, drop column "report", add constraint "drift_scans_report_id_foreign" foreign key ("report_id") references "drift_reports" ("id");`,
    );
    // Retention looks up whether any scan still refers to a report.
    this.addSql(`create index "drift_scans_report_id_index" on "drift_scans" ("report_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "drift_scans" add column "report" jsonb null;`);
    this.addSql(
      `update "drift_scans" s set "report" = jsonb_set(r."report", '{checked_at}', to_jsonb(to_char(s."checked_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))) from "drift_reports" r where r."id" = s."report_id";`,
    );
    this.addSql(
      `alter table "drift_scans" alter column "report" set not null, drop constraint "drift_scans_report_id_foreign", drop column "report_id";`,
    );
    this.addSql(`drop table if exists "drift_reports";`);
  }
}
