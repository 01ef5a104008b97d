import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { boundQuery } from '../../src/database/bound-query';
import { mikroOrmOptions } from '../../src/mikro-orm.config';
import { dropDatabase, testDatabaseUrl } from '../support/panel';

describe('boundQuery (PostgreSQL)', () => {
  const databaseUrl = testDatabaseUrl();
  let orm: MikroORM;

  beforeAll(async () => {
    const admin = new Client({ connectionString: new URL('/postgres', databaseUrl).toString() });
    await admin.connect();
    await admin.query(`create database "${new URL(databaseUrl).pathname.slice(1)}"`);
    await admin.end();
    orm = await MikroORM.init({ ...mikroOrmOptions(databaseUrl), pool: { min: 0, max: 2 } });
    await boundQuery(orm.em.fork(), 'create table t (id int primary key, tags text[], at timestamptz)');
  });

  afterAll(async () => {
    await orm.close();
    await dropDatabase(databaseUrl);
  });

  it('binds every ? in order, arrays as PostgreSQL arrays and dates as instants', async () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    const [row] = await boundQuery<{ n: number; tags: string[]; at: string; text: string }>(
      orm.em.fork(),
      `select ?::int as n, ?::text[] as tags, ?::timestamptz as at, ?::text as text`,
      [7, ['a', "b'c"], at, "it's ; drop table t"],
    );
    // MikroORM's connection leaves timestamps as PostgreSQL's text (it parses dates itself).
    expect({ ...row, at: new Date(row.at) }).toEqual({
      n: 7,
      tags: ['a', "b'c"],
      at,
      text: "it's ; drop table t",
    });
  });

  it("runs in the EntityManager's transaction: a rollback takes its writes back", async () => {
    await expect(
      orm.em.fork().transactional(async (em) => {
        await boundQuery(em, 'insert into t (id) values (?)', [1]);
        const inside = await boundQuery<{ count: string }>(em, 'select count(*) from t');
        expect(inside[0].count).toBe('1');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const after = await boundQuery<{ count: string }>(orm.em.fork(), 'select count(*) from t');
    expect(after[0].count).toBe('0');
  });

  it("surfaces PostgreSQL's error with its SQLSTATE and gives the connection back to the pool", async () => {
    await boundQuery(orm.em.fork(), 'insert into t (id) values (?)', [2]);
    // More failures than the pool has connections: a connection kept after an error would hang here.
    for (let i = 0; i < 5; i++) {
      await expect(boundQuery(orm.em.fork(), 'insert into t (id) values (?)', [2])).rejects.toMatchObject({
        code: '23505',
      });
    }
    const rows = await boundQuery<{ id: number }>(orm.em.fork(), 'select id from t');
    expect(rows).toEqual([{ id: 2 }]);
  });
});
