import { Migration } from '@mikro-orm/migrations';

/** Single sign-on: console and CLI sessions, sign-ins under way, and the CLI's one-time codes (docs/SECURITY.md "Sessions"). */
export class Migration20261207160000_sessions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "sessions" (
      "id" text not null primary key,
      "user_id" uuid not null,
      "kind" text not null check ("kind" in ('browser', 'cli')),
      "created_at" timestamptz not null,
      "last_seen_at" timestamptz not null,
      "expires_at" timestamptz not null,
      "csrf_token_hash" text null,
      "id_token_hint" text null);`);
    this.addSql(`create index "sessions_user_id_index" on "sessions" ("user_id");`);
    this.addSql(`create index "sessions_expires_at_index" on "sessions" ("expires_at");`);
    this.addSql(`create table "oidc_logins" (
      "state_hash" text not null primary key,
      "nonce" text not null,
      "code_verifier" text not null,
      "return_to" text not null,
      "cli_redirect" text null,
      "cli_challenge" text null,
      "expires_at" timestamptz not null);`);
    this.addSql(`create index "oidc_logins_expires_at_index" on "oidc_logins" ("expires_at");`);
    this.addSql(`create table "sso_cli_codes" (
      "code_hash" text not null primary key,
      "user_id" uuid not null,
      "challenge" text not null,
      "expires_at" timestamptz not null);`);
    this.addSql(`create index "sso_cli_codes_expires_at_index" on "sso_cli_codes" ("expires_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table "sso_cli_codes";`);
    this.addSql(`drop table "oidc_logins";`);
    this.addSql(`drop table "sessions";`);
  }
}
