import type { EntityManager, Knex } from '@mikro-orm/postgresql';

/** The part of a `pg` connection this module uses. */
interface PgConnection {
  query(config: { text: string; values: readonly unknown[] }): Promise<{ rows: unknown[] }>;
}

/** The part of knex's client (or of a transaction's client, bound to its connection) this module uses. */
interface ConnectionSource {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<void>;
}

/**
 * The stores' tool for plain SQL (`*.store.ts` only; nothing else writes SQL). It exists because the ORM's
 * own path is the wrong one for the hot statements: em.execute writes every parameter into the SQL text as
 * an escaped literal, and for a scan's report, a node's peer activity or a fleet's node ids, escaping those
 * literals and parsing them again costs more than the statement; and knex's raw-query path adds CPU per
 * statement beyond the round trip itself.
 *
 * So this runs SQL with its `?` parameters bound by PostgreSQL ($1, $2, ...), straight on the pool's `pg`
 * connection (the transaction's own when `em` has one). Arrays are passed as PostgreSQL arrays
 * (`?::uuid[]`). Rows come back as the pool's type parsers make them: MikroORM sets those to leave
 * timestamps as text.
 */
export async function boundQuery<T>(
  em: EntityManager,
  sql: string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  const transaction = em.getTransactionContext<Knex.Transaction>();
  const source = (transaction ?? em.getKnex()).client as unknown as ConnectionSource;
  const connection = await source.acquireConnection();
  try {
    const result = await connection.query({ text: positional(sql), values: params });
    return result.rows as T[];
  } finally {
    // A transaction's client hands out its one connection and ignores the release.
    await source.releaseConnection(connection);
  }
}

const positionalCache = new Map<string, string>();

/** `?` → `$1`, `$2`, ... The statements are constants (none has a literal question mark), so each is converted once. */
function positional(sql: string): string {
  let text = positionalCache.get(sql);
  if (text === undefined) {
    let count = 0;
    text = sql.replace(/\?/g, () => `$${++count}`);
    positionalCache.set(sql, text);
  }
  return text;
}
