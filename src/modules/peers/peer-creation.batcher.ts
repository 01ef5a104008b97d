import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { CommandContext } from '../../common/auth/auth.decorators';
import { DesiredNode } from '../../common/domain/desired-state';
import type { AddressPool } from '../../common/domain/ip-allocation';
import { ApiError, notFound } from '../../common/http/api-error';
import { ClusterReader, clusterAsDesiredNode } from '../clusters';
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
import { blockedIndexes, heldRanges, routeProblem, type HeldRange } from './domain/peer-routes';
import { Allocation, PEER_CREATED, PeerCreated, PeerCreatedPayload, PeerState } from './peer.events';
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

/** The new read-model row and its node (a cluster peer's cluster as a node), so the answer needs no second read. */
export interface CreatedPeer {
  peer: PeerEntity;
  node: DesiredNode;
}

interface Waiting {
  /** The node, or for a cluster peer (`state.cluster_id` set) its cluster. */
  nodeId: string;
  peer: PreparedPeer;
  resolve: (created: CreatedPeer) => void;
  reject: (error: unknown) => void;
}

const MAX_BATCH = 256;
/** One transaction writing, one already waiting for the locks of its nodes (see writeBatch). */
const WRITERS = 2;

/**
 * Creates peers in batches, whatever their nodes: requests that arrive while a batch is being written wait
 * and go together in the next transaction, with one statement for the nodes' locks and one multi-row insert
 * per table. Under load this turns many small transactions (one per node when creations are spread over a
 * fleet) into a few larger ones; a lone request is written at once. Each request still gets its own answer
 * (a 409 or a 404 for one does not fail the others).
 */
@Injectable()
export class PeerCreationBatcher {
  private readonly logger = new Logger(PeerCreationBatcher.name);
  private queue: Waiting[] = [];
  /** Open transactions (at most WRITERS). */
  private writers = 0;

  constructor(
    private readonly em: EntityManager,
    private readonly events: EventStore,
    private readonly changes: DesiredStateChanges,
    private readonly store: PeersStore,
    private readonly nodes: NodesStore,
    private readonly clusters: ClusterReader,
  ) {}

  submit(nodeId: string, peer: PreparedPeer): Promise<CreatedPeer> {
    return new Promise((resolve, reject) => {
      this.queue.push({ nodeId, peer, resolve, reject });
      if (this.writers < WRITERS) {
        this.writers++;
        void this.write();
      }
    });
  }

  private async write(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.writeBatch();
    } finally {
      this.writers--;
    }
  }

  /**
   * One transaction. Without `given`, the batch is whatever is queued once the transaction has begun, and
   * once its nodes' locks are held, every request for those nodes that arrived meanwhile: a writer that
   * waits for a node's lock while the previous batch is written takes the requests that queued up behind it,
   * so its BEGIN and lock cost the next batch no time.
   */
  private async writeBatch(given?: Waiting[]): Promise<void> {
    let batch: Waiting[] = given ?? [];
    try {
      const outcomes = await this.em.fork().transactional(async (em) => {
        if (!given) batch = this.queue.splice(0, MAX_BATCH);
        if (batch.length === 0) return [];
        const nodeIds = new Set(batch.map((waiting) => waiting.nodeId));
        const owners = await this.lockOwners(em, batch);
        if (!given) batch.push(...this.takeQueued(nodeIds, MAX_BATCH - batch.length));
        return this.create(em, owners, batch);
      });
      this.answer(batch, outcomes);
    } catch (error) {
      // The transaction failed before it took requests (no database connection, say): the queued ones get
      // that answer now. Left queued, the writer would try again at once, and again.
      if (!given && batch.length === 0) batch = this.queue.splice(0, MAX_BATCH);
      if (batch.length <= 1) return batch.forEach((waiting) => waiting.reject(error));
      // Something failed for the batch as a whole (e.g. another panel instance won a race): retry one by one,
      // so each request gets the answer that is really its own.
      this.logger.debug({ size: batch.length, err: (error as Error).message }, 'batch retried singly');
      for (const waiting of batch) await this.writeBatch([waiting]);
    }
  }

  /**
   * The batch's nodes and clusters with their allocation locks: nodes first (in one statement), then clusters,
   * each group in the order of its keys, so batches never wait for each other in a circle. A request's
   * owner is looked up by its kind: a node id never finds a cluster, nor the other way round.
   */
  private async lockOwners(em: EntityManager, batch: readonly Waiting[]): Promise<PoolOwners> {
    const kinds = { node: new Set<string>(), cluster: new Set<string>() };
    for (const waiting of batch) kinds[ownerKind(waiting)].add(waiting.nodeId);
    const nodes = await this.nodes.desiredNodesLocked(em, [...kinds.node], allocationLockKey);
    const clusters = new Map<string, DesiredNode>();
    for (const clusterId of [...kinds.cluster].sort()) {
      await this.store.lockNodeAllocations(em, clusterId);
      const cluster = await this.clusters.find(em, clusterId);
      if (cluster) clusters.set(clusterId, clusterAsDesiredNode(cluster));
    }
    return { node: new Map(nodes.map((node) => [node.id, node])), cluster: clusters };
  }

  /** Queued requests for these nodes, in their order, at most `room` of them. */
  private takeQueued(nodeIds: ReadonlySet<string>, room: number): Waiting[] {
    const taken: Waiting[] = [];
    const left: Waiting[] = [];
    for (const waiting of this.queue) {
      (taken.length < room && nodeIds.has(waiting.nodeId) ? taken : left).push(waiting);
    }
    this.queue = left;
    return taken;
  }

  /**
   * Each node's sync is scheduled once per batch, and each request answered only once its node's is, as a
   * lone create would be. The next batch does not wait for it.
   */
  private answer(batch: Waiting[], outcomes: Array<CreatedPeer | ApiError>): void {
    const byNode = new Map<string, number[]>();
    batch.forEach((waiting, i) => byNode.set(waiting.nodeId, [...(byNode.get(waiting.nodeId) ?? []), i]));
    for (const [nodeId, indexes] of byNode) {
      const anyCreated = indexes.some((i) => !(outcomes[i] instanceof Error));
      void (anyCreated ? this.changes.changed(nodeId) : Promise.resolve()).then(() =>
        indexes.forEach((i) => {
          const outcome = outcomes[i];
          if (outcome instanceof Error) batch[i].reject(outcome);
          else batch[i].resolve(outcome);
        }),
      );
    }
  }

  /**
   * One transaction, its nodes locked: per-request checks first (a 404 for a node that does not exist), then
   * one insert per table for everything that passed.
   */
  private async create(
    em: EntityManager,
    owners: PoolOwners,
    batch: Waiting[],
  ): Promise<Array<CreatedPeer | ApiError>> {
    const outcomes: Array<CreatedPeer | ApiError> = new Array(batch.length);
    const ownerOf = (waiting: Waiting) => owners[ownerKind(waiting)].get(waiting.nodeId);
    const nodes = new Map([...owners.node, ...owners.cluster]);
    const pools = new Map([...nodes.values()].map((node) => [node.id, nodePools(node)]));
    const requested = batch.map((waiting) => {
      const { nodeId, peer } = waiting;
      const node = ownerOf(waiting);
      return node && peer.requestedAddresses
        ? claimedAddresses(node, pools.get(nodeId)!, peer.requestedAddresses)
        : null;
    });
    // What the batch needs to know, in one round trip: per node, keys and addresses already taken, and the
    // highest allocated index of each family.
    const wanted = new Map(
      [...nodes.keys()].map((nodeId) => [
        nodeId,
        { nodeId, publicKeys: [] as string[], addresses: [] as string[] },
      ]),
    );
    batch.forEach(({ nodeId, peer }, index) => {
      const claim = requested[index];
      const node = wanted.get(nodeId);
      if (!node) return;
      node.publicKeys.push(peer.state.public_key);
      if (claim && !(claim instanceof AllocationError))
        node.addresses.push(...claim.allocations.map((allocation) => allocation.address));
    });
    const known = await this.store.takenOnNodes(em, [...wanted.values()]);
    const taken = new Map(
      [...known].map(([nodeId, onNode]) => [
        nodeId,
        {
          keys: new Set(onNode.takenKeys),
          addresses: new Set(onNode.takenAddresses),
          ranges: onNode.heldRanges,
          highest: new Map<4 | 6, number>([
            [4, onNode.highestV4],
            [6, onNode.highestV6],
          ]),
        },
      ]),
    );

    const accepted: Array<{ index: number; payload: PeerCreatedPayload }> = [];
    for (const [index, waiting] of batch.entries()) {
      const { nodeId, peer } = waiting;
      const node = ownerOf(waiting);
      const onNode = taken.get(nodeId);
      if (!node || !onNode) {
        outcomes[index] = notFound(ownerKind(waiting), nodeId);
        continue;
      }
      const claim = requested[index];
      const claimed =
        refusalOf(peer.state.public_key, claim, onNode.keys, onNode.addresses) ??
        claim ??
        (await this.pickAddresses(em, nodeId, pools.get(nodeId)!, onNode));
      if (claimed instanceof AllocationError) {
        outcomes[index] = allocationApiError(claimed);
        continue;
      }
      const { allocations, allowedIps } = claimed;
      const routedIps = peer.state.routed_ips ?? [];
      const problem = routeProblem(pools.get(nodeId)!, allowedIps, routedIps, onNode.ranges);
      if (problem) {
        outcomes[index] = allocationApiError(new AllocationError(problem));
        continue;
      }
      allocations.forEach((allocation) => onNode.addresses.add(allocation.address));
      onNode.keys.add(peer.state.public_key);
      onNode.ranges.push(...heldRanges(peer.state.name, allowedIps, routedIps));
      const payload: PeerCreatedPayload = { ...peer.state, allowed_ips: allowedIps, allocations };
      accepted.push({ index, payload });
    }

    const records = await this.events.appendNew<PeerCreated>(
      em,
      accepted.map(({ index, payload }) => ({
        event: {
          aggregateType: 'peer',
          aggregateId: batch[index].peer.id,
          type: PEER_CREATED,
          payload: { ...payload },
        },
        context: batch[index].peer.context,
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
      outcomes[accepted[i].index] = { peer, node: nodes.get(batch[accepted[i].index].nodeId)! };
    });
    return outcomes;
  }

  /**
   * max + 1 per pool (the common case, no query); a full top of the pool reads every index to find a gap.
   * Never inside a range a peer holds.
   */
  private async pickAddresses(
    em: EntityManager,
    nodeId: string,
    pools: AddressPool[],
    onNode: { highest: Map<4 | 6, number>; addresses: ReadonlySet<string>; ranges: readonly HeldRange[] },
  ): Promise<ClaimedAddresses | AllocationError> {
    const { highest, addresses: taken } = onNode;
    const allocations: Allocation[] = [];
    for (const pool of pools) {
      const blocked = blockedIndexes(pool, onNode.ranges);
      const index =
        indexAboveHighest(pool, highest.get(pool.family) ?? 0, taken, blocked) ??
        lowestFreeIndex(pool, await this.store.allocatedIndexes(em, nodeId, pool.family), taken, blocked);
      if (index === null) return new AllocationError({ kind: 'pool_full', pool: pool.cidr });
      highest.set(pool.family, Math.max(index, highest.get(pool.family) ?? 0));
      allocations.push(allocationAt(pool, index));
    }
    return { allocations, allowedIps: allocations.map((allocation) => allocation.address) };
  }
}

/** The nodes and clusters of a batch, each as the node its peers see. */
interface PoolOwners {
  node: ReadonlyMap<string, DesiredNode>;
  cluster: ReadonlyMap<string, DesiredNode>;
}

function ownerKind(waiting: Waiting): keyof PoolOwners {
  return waiting.peer.state.cluster_id ? 'cluster' : 'node';
}
