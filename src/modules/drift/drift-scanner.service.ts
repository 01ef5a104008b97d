import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import type { Dump } from '@wgfleet/protocol';
import pLimit from 'p-limit';
import { performance } from 'node:perf_hooks';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AgentError } from '../agent-client';
import { NodeAgents, NodeEntity, NodesStore, toDesiredNode } from '../nodes';
import { DesiredStateReader, type NodePeersState } from '../peers';
import { BatchedLoader } from './batched-loader';
import { detectDrift, unreachableReport } from './domain/drift-detector';
import type { NodeDriftReport, PendingPeer } from './domain/drift-report';
import { observedManagedPeers } from './domain/observed-peers';
import { PENDING_PEERS } from './pending-peers';
import { DriftHistory } from './drift-history.service';
import { SCAN_FINISHED, type ScanTrigger } from './scan-listeners';
import { Reactions } from '../../common/reactions';

type Observation = { dump: Dump } | { error: string; transient: boolean };

type Gate = <T>(work: () => Promise<T>) => Promise<T>;

/** What bounds a fleet scan's concurrency: calls to agents, and writes to the database. */
interface Gates {
  agent: Gate;
  database: Gate;
}

const ungated: Gate = (work) => work();
const UNGATED: Gates = { agent: ungated, database: ungated };

/** A transient agent failure on a scan that will be tried again; nothing was stored for it. */
export class ScanRetryableError extends Error {}

/** What drift detection needs to know about one node besides the node itself and its dump. */
type NodeDesiredState = NodePeersState & { pending: PendingPeer[] };

/**
 * Checks nodes against their desired state and stores every check as a scan. Nodes are checked in parallel,
 * at most `driftScanConcurrency` at once, each within `agentTimeoutMs`: a node whose agent does not answer
 * in time is reported `unknown` and never holds up the others.
 */
@Injectable()
export class DriftScanner {
  constructor(
    private readonly em: EntityManager,
    private readonly agents: NodeAgents,
    private readonly desired: DesiredStateReader,
    private readonly reactions: Reactions,
    private readonly history: DriftHistory,
    private readonly nodeRecords: NodesStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Starts checking `nodes` now, whether enabled or not, and gives each node's report as soon as it is stored.
   * The desired state is loaded one batch of nodes per round of agent calls, so a fleet scan holds the state of
   * the nodes it is checking, not of the whole fleet.
   */
  scanNodes(
    em: EntityManager,
    nodes: readonly NodeEntity[],
    trigger: ScanTrigger,
  ): Map<string, Promise<NodeDriftReport>> {
    const concurrency = this.config.driftScanConcurrency;
    const desired = new BatchedLoader(
      nodes.map((node) => node.id),
      concurrency,
      (nodeIds) => this.load(em, nodeIds),
    );
    // Agent calls and database writes are bounded separately, so storing one node's scan never holds up
    // asking the next agent: the scan takes about as long as the slower of the two, not their sum.
    const gates: Gates = { agent: pLimit(concurrency), database: pLimit(concurrency) };
    return new Map(
      nodes.map((node) => [node.id, this.scanNode(node, () => desired.take(node.id), trigger, false, gates)]),
    );
  }

  /**
   * A scheduled scan of one node. Unless it is the last attempt, a transient agent failure throws
   * ScanRetryableError (the queue retries with backoff) instead of storing `unknown`. A node deleted or
   * disabled since the scan was planned is skipped (null).
   */
  async scanScheduled(nodeId: string, lastAttempt: boolean): Promise<NodeDriftReport | null> {
    const em = this.em.fork();
    const node = await this.nodeRecords.findEnabled(em, nodeId);
    if (!node) return null;
    return this.scanNode(node, () => this.desiredOf(em, node), 'schedule', !lastAttempt);
  }

  private async desiredOf(em: EntityManager, node: NodeEntity): Promise<NodeDesiredState> {
    return (await this.load(em, [node.id])).get(node.id)!;
  }

  /** The nodes' peers and former keys (peers module) with what is pending on them (sync module), read together. */
  private async load(em: EntityManager, nodeIds: readonly string[]): Promise<Map<string, NodeDesiredState>> {
    const [states, pending] = await Promise.all([
      this.desired.load(em, nodeIds),
      this.reactions.ask(PENDING_PEERS, em, nodeIds),
    ]);
    return new Map(
      [...states].map(([nodeId, state]) => [nodeId, { ...state, pending: pending.get(nodeId) ?? [] }]),
    );
  }

  private async scanNode(
    node: NodeEntity,
    loadDesired: () => Promise<NodeDesiredState>,
    trigger: ScanTrigger,
    retryTransient: boolean,
    gates: Gates = UNGATED,
  ): Promise<NodeDriftReport> {
    // The desired state is read while the agent answers.
    const { checkedAt, started, observation, desired } = await gates.agent(async () => {
      const checkStarted = { checkedAt: new Date(), started: performance.now() };
      const [observed, state] = await Promise.all([this.observe(node), loadDesired()]);
      return { ...checkStarted, observation: observed, desired: state };
    });
    if ('error' in observation && observation.transient && retryTransient) {
      throw new ScanRetryableError(observation.error);
    }
    const report =
      'dump' in observation
        ? detectDrift({
            node: toDesiredNode(node),
            peers: desired.peers,
            managedKeys: desired.managedKeys,
            pending: desired.pending,
            dump: observation.dump,
            defaults: this.config.defaults,
            checkedAt,
          })
        : unreachableReport(
            node,
            observation.error,
            checkedAt,
            desired.peers.filter((peer) => peer.enabled).length,
          );
    const activity =
      'dump' in observation ? observedManagedPeers(desired.peers, observation.dump.peers) : null;
    const scan = await gates.database(() =>
      this.history.store({ trigger, report, activity, durationMs: performance.now() - started }),
    );
    // Counted with storing the scan: what a scan costs the panel.
    await this.reactions.tell(SCAN_FINISHED, scan, performance.now() - started);
    return report;
  }

  /** The node's dump within `agentTimeoutMs`, retries included; past it, the request in flight is aborted. */
  private async observe(node: NodeEntity): Promise<Observation> {
    try {
      const signal = AbortSignal.timeout(this.config.agentTimeoutMs);
      return { dump: await this.agents.forNode(node).dump({ signal }) };
    } catch (error) {
      return {
        error: (error as Error).message,
        transient: error instanceof AgentError && error.transient,
      };
    }
  }
}
