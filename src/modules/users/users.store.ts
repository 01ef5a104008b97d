import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { boundQuery } from '../../database/bound-query';
import type { UserClaims, UserRecord } from './user-record';

interface UserRow {
  id: string;
  issuer: string;
  subject: string;
  name: string;
  email: string | null;
  groups: string[];
  created_at: string;
  last_seen_at: string;
}

/** The users module's plain statements on users. */
@Injectable()
export class UsersStore {
  /**
   * Creates the user at their first sign-in, refreshes what the provider says at every later one: one statement,
   * so two panels signing the same person in at once make one row.
   */
  async upsert(em: EntityManager, claims: UserClaims): Promise<UserRecord> {
    const [row] = await boundQuery<UserRow>(
      em,
      `insert into users (id, issuer, subject, name, email, groups, created_at, last_seen_at)
       values (?, ?, ?, ?, ?, ?::jsonb, now(), now())
       on conflict (issuer, subject) do update
         set name = excluded.name, email = excluded.email, groups = excluded.groups, last_seen_at = now()
       returning id, issuer, subject, name, email, groups, created_at, last_seen_at`,
      [randomUUID(), claims.issuer, claims.subject, claims.name, claims.email, JSON.stringify(claims.groups)],
    );
    return toRecord(row);
  }

  async byId(em: EntityManager, id: string): Promise<UserRecord | null> {
    const [row] = await boundQuery<UserRow>(
      em,
      'select id, issuer, subject, name, email, groups, created_at, last_seen_at from users where id = ?',
      [id],
    );
    return row ? toRecord(row) : null;
  }

  async list(em: EntityManager): Promise<UserRecord[]> {
    const rows = await boundQuery<UserRow>(
      em,
      'select id, issuer, subject, name, email, groups, created_at, last_seen_at from users order by name, id',
    );
    return rows.map(toRecord);
  }
}

function toRecord(row: UserRow): UserRecord {
  return {
    id: row.id,
    issuer: row.issuer,
    subject: row.subject,
    name: row.name,
    email: row.email,
    groups: row.groups,
    created_at: new Date(row.created_at).toISOString(),
    last_seen_at: new Date(row.last_seen_at).toISOString(),
  };
}
