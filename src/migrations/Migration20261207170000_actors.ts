import { Migration } from '@mikro-orm/migrations';

/**
 * Who did it (docs/API.md, Actors): events and reconcile jobs record their actor; null on what came before.
 * The actor is part of an event's chained content (docs/AUDIT.md), so the append-only trigger keeps it as
 * fixed as the rest of the row when the event is sealed.
 */
export class Migration20261207170000_actors extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "events" add column "actor" jsonb null;`);
    this.addSql(`create index "events_actor_id_index" on "events" ((actor->>'id'), "position");`);
    this.addSql(`alter table "reconcile_jobs" add column "actor" jsonb null;`);
    this.addSql(appendOnlyTrigger(true));
  }

  override async down(): Promise<void> {
    this.addSql(appendOnlyTrigger(false));
    this.addSql(`alter table "reconcile_jobs" drop column "actor";`);
    this.addSql(`drop index "events_actor_id_index";`);
    this.addSql(`alter table "events" drop column "actor";`);
  }
}

/** The trigger's function: sealing may set seq and hash once; every other column (the actor too) stays. */
function appendOnlyTrigger(withActor: boolean): string {
  const actor = withActor ? ', new.actor' : '';
  const oldActor = withActor ? ', old.actor' : '';
  return `create or replace function events_append_only() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' and old.seq is null and new.seq is not null and new.hash is not null
          and (new.position, new.aggregate_type, new.aggregate_id, new.version, new.type, new.payload,
               new.metadata, new.created_at${actor})
            is not distinct from (old.position, old.aggregate_type, old.aggregate_id, old.version, old.type,
               old.payload, old.metadata, old.created_at${oldActor}) then
          return new;
        end if;
        raise exception 'events are append-only';
      end $$;`;
}
