import type { EntityManager, Knex } from '@mikro-orm/postgresql';

/**
 * Runs SQL with its `?` parameters bound by PostgreSQL ($1, $2, ...), in `em`'s transaction when it has one.
 * For statements with large parameters: em.execute writes every parameter into the SQL text as an escaped
 * literal, and for a scan's report, a node's peer activity or a fleet's node ids, escaping those literals
 * and parsing them again cost more than the statement. Arrays are passed as PostgreSQL arrays (`?::uuid[]`).
 */
export async function boundQuery<T>(
  em: EntityManager,
  sql: string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  const knex = em.getTransactionContext<Knex.Transaction>() ?? em.getKnex();
  const result = (await knex.raw(sql, params as Knex.RawBinding[])) as { rows: T[] };
  return result.rows;
}
