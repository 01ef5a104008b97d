import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { divergenceOf } from '../drift/domain/drift-report';
import { NodesStore } from '../nodes';
import { planReconcile, presharedKeysUnheld } from '../node-apply/domain/reconcile-plan';
import { NodeJobData, NodeJobHandler, NodeJobOutcome } from '../node-jobs';
import { NodeInspector, PlanExecutor } from '../node-apply';
import { DesiredStateReader } from '../peers';
import {
  SYNC_OPTIONS,
  SyncScope,
  blindSyncDivergence,
  isEmptyScope,
  scopeDivergence,
  syncWakeTime,
} from './domain/sync-scope';
import { NodeSyncStateEntity, PendingRemovalEntity } from './sync-state.entity';
import { SyncTrigger } from './sync-trigger.service';
import { SyncStore } from './sync.store';

/**
 * Carries a node's pending changes to it under the node's lock, level-based: whatever the changes were, the
 * scoped peers end up as desired now (a peer created then deleted is simply absent). Only what changed is in
 * scope; a node change (overrides, listen port) puts the whole node in scope.
 */
@Injectable()
export class SyncRunner implements NodeJobHandler {
  private readonly logger = new Logger(SyncRunner.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly desiredState: DesiredStateReader,
    private readonly inspector: NodeInspector,
    private readonly executor: PlanExecutor,
    private readonly trigger: SyncTrigger,
    private readonly store: SyncStore,
    private readonly nodeRecords: NodesStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async deferUntil(job: Job<NodeJobData>): Promise<number | null> {
    const state = await this.trigger.debounceState(job.data.nodeId);
    return syncWakeTime(state, Date.now(), this.config.applyDebounceMs, this.config.applyMaxWaitMs);
  }

  async run(job: Job<NodeJobData>): Promise<NodeJobOutcome> {
    const { nodeId } = job.data;
    await this.trigger.startRun(nodeId);
    await this.apply(this.orm.em.fork(), nodeId);
    if (!(await this.trigger.changedSinceRunStarted(nodeId))) return { rerunAt: null };
    // Changes kept coming while this run worked: a sustained burst, so gather for the whole maximum wait
    // rather than stopping at the first short pause.
    const { firstChangeAt } = await this.trigger.debounceState(nodeId);
    return { rerunAt: (firstChangeAt ?? Date.now()) + this.config.applyMaxWaitMs };
  }

  private async apply(em: EntityManager, nodeId: string): Promise<void> {
    const node = await this.nodeRecords.find(em, nodeId);
    // A disabled node keeps its changes pending until it is enabled again (which is itself a change).
    if (!node?.enabled) return;
    // What changed is worked out by PostgreSQL, so a run for a few changed peers of a big node reads those
    // peers, not the node's every peer and sync state.
    const [pending, removals] = await Promise.all([
      this.store.pendingChanges(em, nodeId),
      em.find(PendingRemovalEntity, { nodeId }),
    ]);
    const wholeNode = node.version > pending.nodeAppliedVersion;
    if (!wholeNode && pending.peerIds.length === 0 && removals.length === 0) return;
    const snapshot = wholeNode
      ? await this.desiredState.desired(em, nodeId)
      : await this.desiredState.desiredPeers(em, node, pending.peerIds);
    // A node change puts every peer in scope; otherwise the snapshot holds just the changed ones.
    const scopedPeers = snapshot.peers;
    const scope: SyncScope = {
      wholeNode,
      peerIds: new Set(scopedPeers.map((peer) => peer.id)),
      removalKeys: new Set(removals.map((removal) => removal.publicKey)),
    };
    if (isEmptyScope(scope)) return;

    // Agent failures propagate: the job retries with backoff and the changes stay pending meanwhile. Only a
    // node change needs the node's state (listen port, peers it lost); changed peers are set blind.
    const dump = wholeNode ? await this.inspector.observe(snapshot.node) : null;
    const divergence = dump
      ? scopeDivergence(divergenceOf(this.inspector.report(snapshot, dump)), scope)
      : blindSyncDivergence(
          snapshot.desiredPeers,
          removals.map((removal) => ({
            public_key: removal.publicKey,
            peer_id: removal.peerId,
            name: removal.name,
          })),
        );
    const plan = planReconcile({
      divergence,
      desiredPeers: snapshot.desiredPeers,
      node: snapshot.desiredNode,
      defaults: this.config.defaults,
      options: SYNC_OPTIONS,
      ...(dump ? { presharedKeyUnheld: presharedKeysUnheld(snapshot.peers) } : {}),
    });
    const changes = await this.executor.apply({ snapshot, plan, options: SYNC_OPTIONS, divergence, dump });
    const errorByKey = new Map(changes.errors.map((error) => [error.public_key, error.message]));

    const now = new Date();
    await em.transactional(async (tx) => {
      await this.store.recordPeerResults(
        tx,
        nodeId,
        scopedPeers.map((peer) => ({
          peer_id: peer.id,
          applied_version: peer.version,
          status: errorByKey.has(peer.publicKey) ? 'failed' : 'applied',
          error: errorByKey.get(peer.publicKey) ?? null,
        })),
        now,
      );
      for (const removal of removals) {
        const error = errorByKey.get(removal.publicKey);
        // Only the removal this run saw: the key may have been retired again meanwhile.
        const same = { nodeId, publicKey: removal.publicKey, createdAt: removal.createdAt };
        if (error) await tx.nativeUpdate(PendingRemovalEntity, same, { error });
        else await tx.nativeDelete(PendingRemovalEntity, same);
      }
      if (wholeNode) {
        await tx.upsert(
          NodeSyncStateEntity,
          { nodeId, appliedVersion: snapshot.node.version, updatedAt: now },
          { onConflictFields: ['nodeId'], onConflictAction: 'merge', disableIdentityMap: true },
        );
      }
    });
    this.logger.log(
      {
        node_id: nodeId,
        peers: scopedPeers.length,
        removals: removals.length,
        whole_node: wholeNode,
        added: changes.added.length,
        updated: changes.updated.length,
        removed: changes.removed.length,
        errors: changes.errors.length,
      },
      'changes applied to node',
    );
  }
}
