import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { mikroOrmOptions } from '../../src/database/mikro-orm.config';
import { ensureDatabaseExists } from '../../src/database/migrate';
import { dropDatabase, startPanel, TestPanel, testDatabaseUrl } from '../support/panel';
import { exportLines, verifyOffline } from './audit-support';

describe('audit chain migration', () => {
  const databaseUrl = testDatabaseUrl();
  let panel: TestPanel | undefined;

  afterAll(async () => {
    await panel?.close();
    await dropDatabase(databaseUrl);
  });

  it('chains a log written before the chain existed, in position order', async () => {
    await ensureDatabaseExists(databaseUrl);
    const orm = await MikroORM.init({ ...mikroOrmOptions(databaseUrl), allowGlobalContext: true });
    try {
      await orm.getMigrator().up({ to: 'Migration20261202143000_published_peers_created_at' });
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      // Rows as older panels wrote them: created_at with microseconds, a sealed secret in the payload.
      await client
        .query(
          `insert into events (aggregate_type, aggregate_id, version, type, payload, metadata, created_at)
           select 'peer', gen_random_uuid(), 1, 'peer.created',
                  jsonb_build_object('name', 'old-' || n, 'private_key_sealed', 'v1.cipher' || n),
                  '{"actor_token_id":null,"request_id":null}', now() - make_interval(secs => 20 - n + 0.123456)
           from generate_series(1, 12) n`,
        )
        .finally(() => client.end());
      await orm.getMigrator().up();
      const [sealed] = await orm.em.getConnection().execute(`select count(seq)::int as n from events`);
      expect(sealed).toEqual({ n: 12 });
    } finally {
      await orm.close();
    }

    panel = await startPanel({ DATABASE_URL: databaseUrl, DRIFT_SCAN_INTERVAL_S: '86400' });
    const lines = await exportLines(panel);
    const events = lines.flatMap((line) => (line.kind === 'event' ? [line] : []));
    expect(events.map((event) => [event.seq, event.payload.name])).toEqual(
      Array.from({ length: 12 }, (_, i) => [i + 1, `old-${i + 1}`]),
    );
    expect(verifyOffline(lines)).toMatchObject({ ok: true, events: 12, checkpoints: 1 });
  });
});
