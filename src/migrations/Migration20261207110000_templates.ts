import { Migration } from '@mikro-orm/migrations';

/**
 * Node templates (docs/API.md, Templates): the template, its immutable versions, and on each node the version it
 * runs with that version's settings, so a template edit changes no node until the node pins the new version.
 */
export class Migration20261207110000_templates extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "templates" (
      "id" uuid not null primary key,
      "name" text not null,
      "version" int not null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      constraint "templates_name_unique" unique ("name"));`);
    this.addSql(`create table "template_versions" (
      "template_id" uuid not null,
      "version" int not null,
      "settings" jsonb not null,
      "created_at" timestamptz not null,
      primary key ("template_id", "version"));`);
    this.addSql(`alter table "nodes"
      add column "template_id" uuid null,
      add column "template_version" int null,
      add column "template_settings" jsonb null;`);
    this.addSql(`create index "nodes_template_id_index" on "nodes" ("template_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "nodes_template_id_index";`);
    this.addSql(`alter table "nodes"
      drop column "template_id", drop column "template_version", drop column "template_settings";`);
    this.addSql(`drop table "template_versions";`);
    this.addSql(`drop table "templates";`);
  }
}
