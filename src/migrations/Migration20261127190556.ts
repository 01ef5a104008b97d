import { Migration } from '@mikro-orm/migrations';

export class Migration20261127190556 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "api_tokens" ("id" uuid not null, "name" text not null, "role" text not null, "token_hash" text not null, "created_at" timestamptz not null, "revoked_at" timestamptz null, constraint "api_tokens_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "api_tokens" add constraint "api_tokens_token_hash_unique" unique ("token_hash");`,
    );

    this.addSql(
      `create table "events" ("position" bigserial primary key, "aggregate_type" text not null, "aggregate_id" uuid not null, "version" int not null, "type" text not null, "payload" jsonb not null, "metadata" jsonb not null, "created_at" timestamptz not null default now());`,
    );
    this.addSql(`create index "events_type_index" on "events" ("type");`);
    this.addSql(
      `alter table "events" add constraint "events_aggregate_id_version_unique" unique ("aggregate_id", "version");`,
    );

    this.addSql(
      `create table "ip_allocations" ("node_id" uuid not null, "family" smallint not null, "host_index" bigint not null, "address" text not null, "peer_id" uuid not null, constraint "ip_allocations_pkey" primary key ("node_id", "family", "host_index"));`,
    );
    this.addSql(`create index "ip_allocations_peer_id_index" on "ip_allocations" ("peer_id");`);
    this.addSql(
      `alter table "ip_allocations" add constraint "ip_allocations_node_id_address_unique" unique ("node_id", "address");`,
    );

    this.addSql(
      `create table "node_managed_keys" ("node_id" uuid not null, "public_key" text not null, "peer_id" uuid not null, "name" text not null, constraint "node_managed_keys_pkey" primary key ("node_id", "public_key"));`,
    );

    this.addSql(
      `create table "nodes" ("id" uuid not null, "name" text not null, "agent_url" text not null, "interface" text not null, "endpoint" text not null, "address_pool" text not null, "address_pool_v6" text null, "listen_port" int null, "public_key" text null, "enabled" boolean not null default true, "override_listen_port" int null, "override_dns" jsonb null, "override_mtu" int null, "override_keepalive" int null, "override_endpoint_allowed_ip" jsonb null, "auto_reconcile" text not null default 'off', "agent_secret_sealed" text not null, "agent_ca_cert" text null, "agent_cert_fingerprint" text null, "version" int not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "nodes_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "nodes" add constraint "nodes_name_unique" unique ("name");`);

    this.addSql(
      `create table "peers" ("id" uuid not null, "node_id" uuid not null, "name" text not null, "public_key" text not null, "allowed_ips" jsonb not null, "dns" jsonb null, "mtu" int null, "persistent_keepalive" int null, "endpoint_allowed_ips" jsonb null, "private_key_sealed" text null, "preshared_key_sealed" text null, "preshared_key_sha256" text null, "enabled" boolean not null default true, "version" int not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "peers_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "peers_node_id_created_at_id_index" on "peers" ("node_id", "created_at", "id");`,
    );
    this.addSql(
      `alter table "peers" add constraint "peers_node_id_public_key_unique" unique ("node_id", "public_key");`,
    );

    // The event log is the source of truth: the database itself refuses to rewrite history.
    this.addSql(`create function events_append_only() returns trigger language plpgsql as $$
      begin raise exception 'events are append-only'; end $$;`);
    this.addSql(`create trigger events_append_only before update or delete on "events"
      for each statement execute function events_append_only();`);
    this.addSql(
      `create index "events_aggregate_id_position_index" on "events" ("aggregate_id", "position");`,
    );
  }
}
