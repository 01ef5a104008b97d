import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { type CommandContext, systemContext } from '../../common/auth/auth.decorators';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ClusterMemberStates, ClusterReader, type ClusterWithMembers, type MemberHealth } from '../clusters';
import { EventStore } from '../events';
import { NodeAgents, NodeEntity, NodesStore } from '../nodes';
import { AlertOutbox, type ClusterNotice } from '../notifications';
import { PendingChanges } from '../sync';
import {
  CLUSTER_HEALTH_AGGREGATE,
  CLUSTER_MEMBER_DOWN,
  CLUSTER_MEMBER_DRAINED,
  CLUSTER_MEMBER_UP,
  CLUSTER_PUBLISHED,
  type ClusterHealthEvent,
} from './cluster-health.events';
import { ClusterLeases } from './cluster-lease';
import { DnsPublisher } from './dns-publisher.service';
import { DrainRecords } from './drain-records';
import { CheckProblem, endpointAddress, judgeMember, MemberObservation } from './domain/member-check';
import {
  decidePublish,
  healthOf,
  initialCheckState,
  MemberCheckState,
  PublishableMember,
  recordCheck,
} from './domain/member-health';

const SYSTEM: CommandContext = systemContext('cluster-health');
/** A session older than this is dead (WireGuard's REJECT_AFTER_TIME): its client has left the member. */
const SESSION_LIFETIME_S = 180;

type Problem = CheckProblem | 'endpoint_not_ip';

interface CheckedMember {
  nodeId: string;
  node: NodeEntity | undefined;
  address: string | null;
  problem: Problem | null;
  clientsOnIt: number;
}

/**
 * Checks every cluster's members every CLUSTER_CHECK_INTERVAL_MS (one instance per cluster, by lease), turns
 * the checks into member health (domain/member-health.ts), and publishes the healthy members' addresses when
 * that set changes. Drains in progress are watched here too: a drained member's clients leaving ends its drain.
 */
@Injectable()
export class ClusterChecker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ClusterChecker.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  /** Check counts per member node, for the clusters this instance holds the lease of. */
  private readonly states = new Map<string, MemberCheckState>();
  /** Clusters whose "no healthy member" alert went out, until a set is published again. */
  private readonly keptLastAlerted = new Set<string>();

  constructor(
    private readonly orm: MikroORM,
    private readonly clusters: ClusterReader,
    private readonly memberStates: ClusterMemberStates,
    private readonly nodes: NodesStore,
    private readonly agents: NodeAgents,
    private readonly pending: PendingChanges,
    private readonly events: EventStore,
    private readonly outbox: AlertOutbox,
    private readonly dns: DnsPublisher,
    private readonly leases: ClusterLeases,
    private readonly drains: DrainRecords,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.clusters.checkIntervalMs);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One round over every cluster; a round still running when the next is due makes that one skip. */
  tick(): Promise<unknown> {
    this.running ??= this.checkAll()
      .catch((error: Error) => this.logger.warn({ err: error.message }, 'cluster health round failed'))
      .finally(() => (this.running = null));
    return this.running;
  }

  private async checkAll(): Promise<void> {
    const em = this.orm.em.fork();
    const clusters = await this.clusters.all(em);
    const leaseMs = this.config.clusters.checkIntervalMs * 3;
    await Promise.all(
      clusters.map(async (cluster) => {
        if (!(await this.leases.hold(cluster.cluster.id, leaseMs))) {
          for (const member of cluster.members) this.states.delete(member.nodeId);
          return;
        }
        await this.checkCluster(cluster).catch((error: Error) =>
          this.logger.warn({ cluster_id: cluster.cluster.id, err: error.message }, 'cluster check failed'),
        );
      }),
    );
  }

  /** Publishes `cluster`'s healthy set now (after a drain or undrain) rather than at the next round. */
  async publishNow(clusterId: string): Promise<string[] | null> {
    const em = this.orm.em.fork();
    const cluster = (await this.clusters.all(em)).find((c) => c.cluster.id === clusterId);
    if (!cluster) return null;
    const nodes = await this.nodes.byIds(
      em,
      cluster.members.map((m) => m.nodeId),
    );
    const members = cluster.members.map((member) => ({
      nodeId: member.nodeId,
      health: member.health,
      address: endpointAddress(nodes.find((n) => n.id === member.nodeId)?.endpoint ?? ''),
    }));
    return this.publish(cluster, members);
  }

  private async checkCluster(cluster: ClusterWithMembers): Promise<void> {
    const em = this.orm.em.fork();
    const ids = cluster.members.map((member) => member.nodeId);
    const [nodes, pending] = await Promise.all([
      this.nodes.byIds(em, ids),
      this.pending.countByNode(em, ids),
    ]);
    const checked = await Promise.all(
      cluster.members.map((member) =>
        this.checkMember(
          nodes.find((node) => node.id === member.nodeId),
          member.nodeId,
          cluster.cluster.publicKey,
          pending.get(member.nodeId) ?? 0,
          member.health === 'draining',
        ),
      ),
    );
    const thresholds = {
      unhealthyAfter: this.config.clusters.unhealthyAfter,
      healthyAfter: this.config.clusters.healthyAfter,
    };
    const healths: Array<{ nodeId: string; health: MemberHealth; address: string | null }> = [];
    for (const [i, member] of cluster.members.entries()) {
      const check = checked[i];
      const draining = member.health === 'draining';
      const before = this.states.get(member.nodeId) ?? {
        ...initialCheckState(draining),
        up: member.health === 'healthy',
      };
      const { state, transition } = recordCheck({ ...before, draining }, check.problem === null, thresholds);
      this.states.set(member.nodeId, state);
      const health = healthOf(state);
      healths.push({ nodeId: member.nodeId, health, address: check.address });
      if (health === member.health && transition === null) continue;
      const at = new Date();
      await this.orm.em
        .fork()
        .transactional(async (tx) => {
          if (health !== member.health) await this.memberStates.setHealth(tx, member.nodeId, health, at);
          if (transition === null) return null;
          const type = transition === 'member_down' ? CLUSTER_MEMBER_DOWN : CLUSTER_MEMBER_UP;
          const payload = { cluster_id: cluster.cluster.id, node_id: member.nodeId, problem: check.problem };
          await this.events.append<ClusterHealthEvent>(
            tx,
            { aggregateType: CLUSTER_HEALTH_AGGREGATE, aggregateId: randomUUID(), type, payload },
            0,
            SYSTEM,
          );
          const due = await this.outbox.record(
            tx,
            this.notice(cluster, type, at, {
              node: check.node,
              nodeId: member.nodeId,
              problem: check.problem,
            }),
            member.nodeId,
          );
          return this.outbox.enqueueAfterCommit(due);
        })
        .then((afterCommit) => afterCommit?.());
      if (transition) {
        this.logger.log(
          { cluster_id: cluster.cluster.id, node_id: member.nodeId, problem: check.problem },
          transition === 'member_down' ? 'cluster member down' : 'cluster member up',
        );
      }
    }
    await this.publish(cluster, healths);
    await this.watchDrains(cluster, checked);
  }

  private async checkMember(
    node: NodeEntity | undefined,
    nodeId: string,
    clusterKey: string | null,
    pendingChanges: number,
    draining: boolean,
  ): Promise<CheckedMember> {
    const address = node ? endpointAddress(node.endpoint) : null;
    if (!node) return { nodeId, node, address, problem: 'no_answer', clientsOnIt: 0 };
    const observation: MemberObservation = {
      answered: false,
      interfacePublicKey: null,
      listenPort: null,
      pendingChanges,
    };
    let clientsOnIt = 0;
    try {
      const dump = await this.agents
        .forNode(node)
        .dump({ signal: AbortSignal.timeout(this.config.clusters.checkTimeoutMs) });
      observation.answered = true;
      observation.interfacePublicKey = dump.interface.public_key;
      observation.listenPort = dump.interface.listen_port;
      if (draining) {
        const now = Date.now() / 1000;
        clientsOnIt = dump.peers.filter(
          (peer) => peer.latest_handshake > 0 && now - peer.latest_handshake < SESSION_LIFETIME_S,
        ).length;
      }
    } catch {
      // Any failure to answer correctly in time is a failed check; why is in the agent client's logs.
    }
    const problem = judgeMember(observation, clusterKey) ?? (address === null ? 'endpoint_not_ip' : null);
    return { nodeId, node, address, problem, clientsOnIt };
  }

  private async publish(
    cluster: ClusterWithMembers,
    healths: ReadonlyArray<{ nodeId: string; health: MemberHealth; address: string | null }>,
  ): Promise<string[] | null> {
    const clusterId = cluster.cluster.id;
    const publishable: PublishableMember[] = healths.flatMap((m) =>
      m.address === null ? [] : [{ nodeId: m.nodeId, health: m.health, address: m.address }],
    );
    const lastPublished = cluster.members
      .filter((member) => member.published)
      .flatMap((member) => publishable.filter((m) => m.nodeId === member.nodeId).map((m) => m.address));
    const decision = decidePublish(publishable, lastPublished);
    if (decision.kind === 'unchanged') return lastPublished;
    if (decision.kind === 'keep_last') {
      if (this.keptLastAlerted.has(clusterId)) return decision.addresses;
      this.keptLastAlerted.add(clusterId);
      this.logger.warn({ cluster_id: clusterId, addresses: decision.addresses }, 'no healthy cluster member');
      await this.recordPublished(cluster, decision.addresses, true, null);
      return decision.addresses;
    }
    const dns = await this.clusters.dnsConfig(this.orm.em.fork(), clusterId);
    if (!dns) return null;
    try {
      await this.dns.publish(dns, clusterId, cluster.cluster.endpointHost, decision.addresses);
    } catch (error) {
      // Tried again next round: the members' published flags still say what DNS held before.
      this.logger.warn(
        { cluster_id: clusterId, err: (error as Error).message },
        'cluster DNS publish failed',
      );
      return null;
    }
    this.keptLastAlerted.delete(clusterId);
    const published = new Set(decision.addresses);
    await this.recordPublished(cluster, decision.addresses, false, (tx, at) =>
      Promise.all(
        healths.map((m) =>
          this.memberStates.setPublished(tx, m.nodeId, m.address !== null && published.has(m.address), at),
        ),
      ),
    );
    this.logger.log({ cluster_id: clusterId, addresses: decision.addresses }, 'cluster DNS published');
    return decision.addresses;
  }

  private async recordPublished(
    cluster: ClusterWithMembers,
    addresses: string[],
    keptLast: boolean,
    alsoInTransaction: ((tx: EntityManager, at: Date) => Promise<unknown>) | null,
  ): Promise<void> {
    const at = new Date();
    const afterCommit = await this.orm.em.fork().transactional(async (tx) => {
      await alsoInTransaction?.(tx, at);
      await this.events.append<ClusterHealthEvent>(
        tx,
        {
          aggregateType: CLUSTER_HEALTH_AGGREGATE,
          aggregateId: randomUUID(),
          type: CLUSTER_PUBLISHED,
          payload: {
            cluster_id: cluster.cluster.id,
            host: cluster.cluster.endpointHost,
            addresses,
            kept_last: keptLast,
          },
        },
        0,
        SYSTEM,
      );
      const notice = this.notice(cluster, CLUSTER_PUBLISHED, at, { addresses, keptLast });
      return this.outbox.enqueueAfterCommit(await this.outbox.record(tx, notice, null));
    });
    await afterCommit();
  }

  /** A drain ends when no client has a live session with the member, or after CLUSTER_DRAIN_TIMEOUT_S. */
  private async watchDrains(cluster: ClusterWithMembers, checked: readonly CheckedMember[]): Promise<void> {
    for (const member of cluster.members) {
      if (member.health !== 'draining') continue;
      const drain = await this.drains.active(member.nodeId);
      if (!drain) continue;
      const check = checked.find((c) => c.nodeId === member.nodeId);
      const clientsLeft = check !== undefined && check.problem !== 'no_answer' && check.clientsOnIt === 0;
      const timedOut = Date.now() - drain.startedAt >= this.config.clusters.drainTimeoutS * 1000;
      if (!clientsLeft && !timedOut) continue;
      await this.orm.em.fork().transactional((tx) =>
        this.events.append<ClusterHealthEvent>(
          tx,
          {
            aggregateType: CLUSTER_HEALTH_AGGREGATE,
            aggregateId: randomUUID(),
            type: CLUSTER_MEMBER_DRAINED,
            payload: {
              cluster_id: cluster.cluster.id,
              node_id: member.nodeId,
              outcome: clientsLeft ? 'clients_left' : 'timeout',
            },
          },
          0,
          SYSTEM,
        ),
      );
      await this.drains.finish(member.nodeId);
    }
  }

  private notice(
    cluster: ClusterWithMembers,
    type: ClusterNotice['type'],
    at: Date,
    about: {
      node?: NodeEntity;
      nodeId?: string;
      problem?: string | null;
      addresses?: string[];
      keptLast?: boolean;
    },
  ): ClusterNotice {
    return {
      type,
      timestamp: at.toISOString(),
      data: {
        cluster_id: cluster.cluster.id,
        cluster_name: cluster.cluster.name,
        host: cluster.cluster.endpointHost,
        node_id: about.nodeId ?? null,
        node_name: about.node?.name ?? null,
        problem: about.problem ?? null,
        addresses: about.addresses ?? [],
        kept_last: about.keptLast ?? false,
        url: `${this.config.publicUrl}/api/clusters/${cluster.cluster.id}`,
      },
    };
  }
}
