import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';

/** Several panel instances may start at once: one migrates while the others wait for it. */
const MIGRATION_LOCK_KEY = 0x776766; // "wgf"

export async function runMigrations(orm: MikroORM): Promise<string[]> {
  const connection = orm.em.getConnection();
  const knex = connection.getKnex();
  // The lock lives as long as this transaction, on its own connection, while the migrator uses others.
  return knex.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK_KEY]);
    const applied = await orm.getMigrator().up();
    return applied.map((migration) => migration.name);
  });
}

export async function ensureDatabaseExists(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) {
      await client
        .query(`create database "${name.replace(/"/g, '""')}"`)
        .catch((error: { code?: string }) => {
          if (error.code !== '42P04') throw error; // created meanwhile by another instance
        });
    }
  } finally {
    await client.end();
  }
}
