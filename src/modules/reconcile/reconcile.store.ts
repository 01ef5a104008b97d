import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { boundQuery } from '../../database/bound-query';
import type { FinishedRepairsSource } from '../drift';

/** The reconcile module's plain statements on reconcile_jobs. */
@Injectable()
export class ReconcileStore implements FinishedRepairsSource {
  /** The node a reconcile job is for, or null when there is no such job. */
  async nodeOfJob(em: EntityManager, jobId: string): Promise<string | null> {
    const [row] = await boundQuery<{ node_id: string }>(
      em,
      'select node_id from reconcile_jobs where id = ?',
      [jobId],
    );
    return row?.node_id ?? null;
  }

  async lastFinishedAt(em: EntityManager, nodeIds: readonly string[]): Promise<Map<string, Date>> {
    if (nodeIds.length === 0) return new Map();
    const rows = await boundQuery<{ node_id: string; finished_at: string }>(
      em,
      `select node_id, max(finished_at) as finished_at from reconcile_jobs
       where node_id = any(?::uuid[]) and finished_at is not null
       group by node_id`,
      [nodeIds],
    );
    return new Map(rows.map((row) => [row.node_id, new Date(row.finished_at)]));
  }
}
