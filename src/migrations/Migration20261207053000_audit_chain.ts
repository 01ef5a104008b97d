import { Migration } from '@mikro-orm/migrations';
import { ChainHead, ChainRow, sealRows } from '../modules/events/domain/event-chain';
import { FIRST_CHAIN_COLUMNS } from '../modules/events/events.store';

const PAGE = 5000;

/**
 * The audit chain (docs/AUDIT.md): every event gets `seq` and `hash`, set once; the append-only trigger now
 * lets exactly that through (and refuses TRUNCATE too). The existing log is chained here, in position order.
 * Checkpoints are signed with the panel's own Ed25519 keys, whose private halves are sealed like every secret.
 */
export class Migration20261207053000_audit_chain extends Migration {
  override async up(): Promise<void> {
    await this.execute(`alter table "events" add column "seq" bigint null, add column "hash" text null;`);
    await this.execute(`alter table "events" add constraint "events_seq_unique" unique ("seq");`);
    await this.execute(`create index "events_unsealed_index" on "events" ("position") where "seq" is null;`);
    await this.execute(`drop trigger events_append_only on "events";`);
    await this.execute(`create or replace function events_append_only() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' and old.seq is null and new.seq is not null and new.hash is not null
          and (new.position, new.aggregate_type, new.aggregate_id, new.version, new.type, new.payload,
               new.metadata, new.created_at)
            is not distinct from (old.position, old.aggregate_type, old.aggregate_id, old.version, old.type,
               old.payload, old.metadata, old.created_at) then
          return new;
        end if;
        raise exception 'events are append-only';
      end $$;`);
    await this.execute(`create trigger events_append_only before update or delete on "events"
      for each row execute function events_append_only();`);
    await this.execute(`create trigger events_no_truncate before truncate on "events"
      for each statement execute function events_append_only();`);

    await this.execute(`create table "audit_signing_keys" (
      "key_id" text not null primary key,
      "public_key" text not null,
      "private_key_sealed" text not null,
      "created_at" timestamptz not null default now(),
      "retired_at" timestamptz null);`);
    await this
      .execute(`create unique index "audit_signing_keys_active_unique" on "audit_signing_keys" ((true))
      where "retired_at" is null;`);
    await this.execute(`create table "audit_checkpoints" (
      "seq" bigint not null primary key,
      "hash" text not null,
      "time" timestamptz not null,
      "signature" text not null,
      "key_id" text not null references "audit_signing_keys" ("key_id"));`);
    await this.execute(`create table "audit_verifications" (
      "id" bigserial primary key,
      "checked_at" timestamptz not null default now(),
      "ok" boolean not null,
      "events" bigint not null,
      "first_bad_seq" bigint null,
      "problem" text null,
      "detail" text null);`);

    await this.chainExistingEvents();
  }

  private async chainExistingEvents(): Promise<void> {
    let head: ChainHead | null = null;
    for (;;) {
      const rows = (await this.execute(
        `select ${FIRST_CHAIN_COLUMNS} from events where seq is null order by events.position limit ${PAGE}`,
      )) as unknown as ChainRow[];
      if (rows.length === 0) return;
      const seals = sealRows(head, rows);
      await this.execute(
        `update events e set seq = s.seq, hash = s.hash
         from jsonb_to_recordset(?::jsonb) as s(position bigint, seq bigint, hash text)
         where e.position = s.position`,
        [JSON.stringify(seals)],
      );
      head = seals[seals.length - 1];
    }
  }

  override async down(): Promise<void> {
    await this.execute(`drop table "audit_verifications", "audit_checkpoints", "audit_signing_keys";`);
    await this.execute(`drop trigger events_no_truncate on "events";`);
    await this.execute(`drop trigger events_append_only on "events";`);
    await this.execute(`create or replace function events_append_only() returns trigger language plpgsql as $$
      begin raise exception 'events are append-only'; end $$;`);
    await this.execute(`create trigger events_append_only before update or delete on "events"
      for each statement execute function events_append_only();`);
    await this.execute(`alter table "events" drop column "seq", drop column "hash";`);
  }
}
