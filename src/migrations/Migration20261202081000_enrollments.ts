import { Migration } from '@mikro-orm/migrations';

export class Migration20261202081000_enrollments extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "enrollments" (
      "id" uuid not null, "token_hash" text not null, "node" jsonb not null, "status" text not null default 'open',
      "expires_at" timestamptz not null, "created_by" text null, "node_id" uuid null,
      "created_at" timestamptz not null, "claimed_at" timestamptz null,
      constraint "enrollments_pkey" primary key ("id"),
      constraint "enrollments_token_hash_unique" unique ("token_hash"),
      constraint "enrollments_status_check" check ("status" in ('open', 'claimed', 'revoked')));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "enrollments";`);
  }
}
