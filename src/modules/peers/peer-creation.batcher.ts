import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { CommandContext } from '../../common/auth/auth.decorators';
import { DesiredNode } from '../../common/domain/desired-state';
import type { AddressPool } from '../../common/domain/ip-allocation';
import { ApiError, notFound } from '../../common/http/api-error';
import { DesiredStateChanges, EventStore } from '../events';
import { NodesStore } from '../nodes';
import { allocationApiError } from './allocation-api-error';
import {
  AllocationError,
  ClaimedAddresses,
  allocationAt,
  claimedAddresses,
  indexAboveHighest,
  lowestFreeIndex,
  nodePools,
  refusalOf,
} from './domain/peer-allocation';
import { Allocation, PEER_CREATED, PeerCreatedPayload, PeerState } from './peer.events';
import { PeerEntity } from './peer.entity';
import { peerColumns } from './peer.projection';
import { PeersStore, allocationLockKey } from './peers.store';

/** A create request with its keys already made and sealed; only addresses remain to be decided. */
export interface PreparedPeer {
  id: string;
  state: Omit<PeerState, 'allowed_ips'>;
  /** Addresses the caller asked for; the next free ones of the node's pools when null. */
  requestedAddresses: string[] | null;
  context: CommandContext;
}

/** The new read-model row and its node, so the answer needs no second read. */
export interface CreatedPeer {
  peer: PeerEntity;
  node: DesiredNode;
}

interface Waiting {
  peer: PreparedPeer;
  resolve: (created: CreatedPeer) => void;
  reject: (error: unknown) => void;
}

const MAX_BATCH = 256;
/** One writing, one already waiting for the node's lock (see writeBatch). */
const WRITERS_PER_NODE = 2;

/**
 * Creates peers of one node in batches: requests that arrive while a batch is being written wait and go
 * together in the next transaction, with one multi-row insert per table. Under load this turns many small
 * transactions, serialised by the node's allocation lock, into a few larger ones; a lone request is written
 * at once. Each request still gets its own answer (a 409 for one does not fail the others).
 */
@Injectable()
export class PeerCreationBatcher {
  private readonly logger = new Logger(PeerCreationBatcher.name);
  private readonly queues = new Map<string, Waiting[]>();
  /** Open transactions per node (at most WRITERS_PER_NODE). */
  private readonly writers = new Map<string, number>();

  constructor(
    private readonly em: EntityManager,
    private readonly events: EventStore,
    private readonly changes: DesiredStateChanges,
    private readonly store: PeersStore,
    private readonly nodes: NodesStore,
  ) {}

  submit(nodeId: string, peer: PreparedPeer): Promise<CreatedPeer> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(nodeId) ?? [];
      queue.push({ peer, resolve, reject });
      this.queues.set(nodeId, queue);
      const writers = this.writers.get(nodeId) ?? 0;
      if (writers < WRITERS_PER_NODE) {
        this.writers.set(nodeId, writers + 1);
        void this.write(nodeId);
      }
    });
  }

  private async write(nodeId: string): Promise<void> {
    try {
      while ((this.queues.get(nodeId)?.length ?? 0) > 0) await this.writeBatch(nodeId);
    } finally {
      const writers = (this.writers.get(nodeId) ?? 1) - 1;
      if (writers > 0) this.writers.set(nodeId, writers);
      else {
        this.writers.delete(nodeId);
        if (this.queues.get(nodeId)?.length === 0) this.queues.delete(nodeId);
      }
    }
  }

  /**
   * One transaction. Without `given`, the batch is whatever is queued once the node's lock is held: a
   * writer waits for the lock while the previous batch is written, and then takes every request that
   * arrived meanwhile, so its BEGIN and lock cost the next batch no time.
   */
  private async writeBatch(nodeId: string, given?: Waiting[]): Promise<void> {
    let batch: Waiting[] = given ?? [];
    try {
      const outcomes = await this.em.fork().transactional(async (em) => {
        let node: DesiredNode;
        try {
          node = await this.lockedNode(em, nodeId);
        } finally {
          if (!given) batch = this.queues.get(nodeId)?.splice(0, MAX_BATCH) ?? [];
        }
        return batch.length === 0
          ? []
          : this.create(
              em,
              node,
              batch.map((waiting) => waiting.peer),
            );
      });
      // The node's sync is scheduled once per batch, and each request answered only once it is, as a lone
      // create would be. The next batch does not wait for it.
      const anyCreated = outcomes.some((outcome) => !(outcome instanceof Error));
      void (anyCreated ? this.changes.changed(nodeId) : Promise.resolve()).then(() =>
        batch.forEach((waiting, i) => {
          const outcome = outcomes[i];
          if (outcome instanceof Error) waiting.reject(outcome);
          else waiting.resolve(outcome);
        }),
      );
    } catch (error) {
      // The transaction failed before it held the lock (no database connection, say), so it took no requests:
      // the queued ones get that answer now. Left queued, the writer would try again at once, and again.
      if (!given && batch.length === 0) batch = this.queues.get(nodeId)?.splice(0, MAX_BATCH) ?? [];
      if (batch.length <= 1) return batch.forEach((waiting) => waiting.reject(error));
      // Something failed for the batch as a whole (e.g. another panel instance won a race): retry one by one,
      // so each request gets the answer that is really its own.
      this.logger.debug(
        { node_id: nodeId, size: batch.length, err: (error as Error).message },
        'batch retried singly',
      );
      for (const waiting of batch) await this.writeBatch(nodeId, [waiting]);
    }
  }

  /**
   * The node, with its allocation lock taken, in one round trip (a batch's first statement); 404 without it.
   * The row may predate the lock: the lock guards allocations, not the node, which was read before it anyway.
   */
  private async lockedNode(em: EntityManager, nodeId: string): Promise<DesiredNode> {
    const node = await this.nodes.desiredNodeLocked(em, nodeId, allocationLockKey(nodeId));
    if (!node) throw notFound('node', nodeId);
    return node;
  }

  /** One transaction: per-request checks first, then one insert per table for everything that passed. */
  private async create(
    em: EntityManager,
    node: DesiredNode,
    peers: PreparedPeer[],
  ): Promise<Array<CreatedPeer | ApiError>> {
    const nodeId = node.id;
    const pools = nodePools(node);
    const outcomes: Array<CreatedPeer | ApiError> = new Array(peers.length);

    const requested = peers.map((peer) =>
      peer.requestedAddresses ? claimedAddresses(node, pools, peer.requestedAddresses) : null,
    );
    const wantedAddresses = requested.flatMap((claim) =>
      claim && !(claim instanceof AllocationError)
        ? claim.allocations.map((allocation) => allocation.address)
        : [],
    );
    // What the batch needs to know, in one round trip: keys and addresses already taken, and the highest
    // allocated index of each family.
    const known = await this.store.takenOnNode(
      em,
      nodeId,
      peers.map((peer) => peer.state.public_key),
      wantedAddresses,
    );
    const takenKeys = new Set(known.takenKeys);
    const takenAddresses = new Set(known.takenAddresses);
    const highest = new Map<4 | 6, number>([
      [4, known.highestV4],
      [6, known.highestV6],
    ]);

    const accepted: Array<{ index: number; payload: PeerCreatedPayload }> = [];
    for (const [index, peer] of peers.entries()) {
      const claim = requested[index];
      const claimed =
        refusalOf(peer.state.public_key, claim, takenKeys, takenAddresses) ??
        claim ??
        (await this.pickAddresses(em, nodeId, pools, highest, takenAddresses));
      if (claimed instanceof AllocationError) {
        outcomes[index] = allocationApiError(claimed);
        continue;
      }
      const { allocations, allowedIps } = claimed;
      allocations.forEach((allocation) => takenAddresses.add(allocation.address));
      takenKeys.add(peer.state.public_key);
      const payload: PeerCreatedPayload = { ...peer.state, allowed_ips: allowedIps, allocations };
      accepted.push({ index, payload });
    }

    const records = await this.events.appendNew(
      em,
      accepted.map(({ index, payload }) => ({
        event: {
          aggregateType: 'peer',
          aggregateId: peers[index].id,
          type: PEER_CREATED,
          payload: { ...payload },
        },
        context: peers[index].context,
      })),
    );
    records.forEach((record, i) => {
      const peer = Object.assign(new PeerEntity(), {
        id: record.aggregateId,
        ...peerColumns(accepted[i].payload),
        version: record.version,
        createdAt: record.createdAt,
        updatedAt: record.createdAt,
      });
      outcomes[accepted[i].index] = { peer, node };
    });
    return outcomes;
  }

  /** max + 1 per pool (the common case, no query); a full top of the pool reads every index to find a gap. */
  private async pickAddresses(
    em: EntityManager,
    nodeId: string,
    pools: AddressPool[],
    highest: Map<4 | 6, number>,
    taken: ReadonlySet<string>,
  ): Promise<ClaimedAddresses | AllocationError> {
    const allocations: Allocation[] = [];
    for (const pool of pools) {
      const index =
        indexAboveHighest(pool, highest.get(pool.family) ?? 0, taken) ??
        lowestFreeIndex(pool, await this.store.allocatedIndexes(em, nodeId, pool.family), taken);
      if (index === null) return new AllocationError({ kind: 'pool_full', pool: pool.cidr });
      highest.set(pool.family, Math.max(index, highest.get(pool.family) ?? 0));
      allocations.push(allocationAt(pool, index));
    }
    return { allocations, allowedIps: allocations.map((allocation) => allocation.address) };
  }
}
