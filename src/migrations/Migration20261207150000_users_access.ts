import { Migration } from '@mikro-orm/migrations';

/**
 * Users (known from sign-in), role bindings on scopes, and a scope on every API token (docs/SECURITY.md
 * "Roles and scopes"): existing tokens keep the whole fleet.
 */
export class Migration20261207150000_users_access extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "users" (
      "id" uuid not null primary key,
      "issuer" text not null,
      "subject" text not null,
      "name" text not null,
      "email" text null,
      "groups" jsonb not null default '[]',
      "created_at" timestamptz not null default now(),
      "last_seen_at" timestamptz not null default now(),
      constraint "users_issuer_subject_unique" unique ("issuer", "subject")
    );`);
    this.addSql(`create table "bindings" (
      "id" uuid not null primary key,
      "subject_user_id" uuid null references "users" ("id") on delete cascade,
      "subject_group" text null,
      "role" text not null,
      "scope" jsonb not null,
      "created_at" timestamptz not null default now(),
      constraint "bindings_one_subject" check (("subject_user_id" is null) <> ("subject_group" is null))
    );`);
    this.addSql(`create index "bindings_subject_user_id_index" on "bindings" ("subject_user_id");`);
    this.addSql(`create index "bindings_subject_group_index" on "bindings" ("subject_group");`);
    this.addSql(`alter table "api_tokens" add column "scope" jsonb not null default '{"all":true}';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "api_tokens" drop column "scope";`);
    this.addSql(`drop table "bindings";`);
    this.addSql(`drop table "users";`);
  }
}
