import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { boundQuery } from '../../database/bound-query';
import { MOVING_STATUSES } from './domain/rollout-state';

/** The rollouts module's plain statements on rollouts and rollout_nodes. */
@Injectable()
export class RolloutsStore {
  /**
   * The moving rollouts this panel instance may step now: those whose lease it holds or that nobody holds
   * (never taken, or its holder stopped renewing it: a crash, a killed panel), leased to it until `leaseS`.
   */
  async claim(em: EntityManager, owner: string, leaseS: number): Promise<string[]> {
    const rows = await boundQuery<{ id: string }>(
      em,
      `update rollouts set lease_owner = ?, lease_until = now() + make_interval(secs => ?)
       where status = any(?::text[]) and (lease_owner = ? or lease_until is null or lease_until < now())
       returning id`,
      [owner, leaseS, [...MOVING_STATUSES], owner],
    );
    return rows.map((row) => row.id);
  }

  /** The nodes among `nodeIds` another unfinished rollout holds, with that rollout. */
  busyNodes(
    em: EntityManager,
    nodeIds: readonly string[],
  ): Promise<Array<{ node_id: string; rollout_id: string }>> {
    return boundQuery(
      em,
      `select node_id, rollout_id from rollout_nodes where active and node_id = any(?::uuid[]) order by node_id`,
      [nodeIds],
    );
  }

  /** A finished rollout frees its nodes. */
  async release(em: EntityManager, rolloutId: string): Promise<void> {
    await boundQuery(em, `update rollout_nodes set active = false where rollout_id = ? and active`, [
      rolloutId,
    ]);
  }

  /** A rollback holds the rollout's nodes again; the unique index refuses it when another rollout has one. */
  async reserve(em: EntityManager, rolloutId: string): Promise<void> {
    await boundQuery(em, `update rollout_nodes set active = true where rollout_id = ? and not active`, [
      rolloutId,
    ]);
  }

  /** A panel shutting down lets go of its rollouts. */
  async dropLeases(em: EntityManager, owner: string): Promise<void> {
    await boundQuery(em, `update rollouts set lease_owner = null, lease_until = null where lease_owner = ?`, [
      owner,
    ]);
  }
}
