import { Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver, defineConfig } from '@mikro-orm/postgresql';
import { MIGRATIONS } from './migrations';
import { ENTITIES } from './entities';

export function mikroOrmOptions(databaseUrl: string): Options<PostgreSqlDriver> {
  return defineConfig({
    clientUrl: databaseUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    // Request handlers and jobs always work on a forked EntityManager; using the global one is a bug.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    debug: false,
    pool: { min: 0, max: 20 },
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: 'src/migrations',
      pathTs: 'src/migrations',
      migrationsList: MIGRATIONS,
      transactional: true,
      silent: true,
      allOrNothing: true,
      snapshot: true,
      snapshotName: '.snapshot-wgfleet',
    },
  });
}

/** Used by the MikroORM CLI (`npx mikro-orm migration:create`) to diff entities against the schema. */
export default mikroOrmOptions(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/wgfleet');
