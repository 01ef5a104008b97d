import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { NodeFilter } from '../../common/auth/domain/scope-policy';
import { NodeEntity, NodeScopes, NodesService, NodesStore } from '../nodes';
import { fleetDriftReport, type FleetDriftReport, type NodeDriftReport } from './domain/drift-report';
import { DriftScanner } from './drift-scanner.service';
import { DriftStore } from './drift.store';
import { FINISHED_REPAIRS } from './finished-repairs';
import { Reactions } from '../../common/reactions';

/**
 * Drift as the API reads it live, without letting readers drive agent traffic: concurrent requests share one
 * scan per node (in this panel instance), and a node whose latest stored scan, of any trigger and from any
 * instance, finished less than DRIFT_LIVE_MIN_INTERVAL_S ago is answered with that scan's report.
 */
@Injectable()
export class LiveDriftReads {
  private readonly inFlight = new Map<string, Promise<NodeDriftReport>>();

  constructor(
    private readonly em: EntityManager,
    private readonly nodes: NodesService,
    private readonly scanner: DriftScanner,
    private readonly store: DriftStore,
    private readonly reactions: Reactions,
    private readonly nodeRecords: NodesStore,
    private readonly scopes: NodeScopes,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Every enabled node `visible` lets through. */
  async fleet(visible: NodeFilter): Promise<FleetDriftReport> {
    const startedAt = new Date();
    const em = this.em.fork();
    const nodes = await this.scopes.among(em, await this.nodeRecords.enabled(em), visible);
    return fleetDriftReport(await this.reports(em, nodes), startedAt);
  }

  /** One node, whether enabled or not: someone asked for it. */
  async node(nodeId: string): Promise<NodeDriftReport> {
    const em = this.em.fork();
    const [report] = await this.reports(em, [await this.nodes.require(em, nodeId)]);
    return report;
  }

  private async reports(em: EntityManager, nodes: readonly NodeEntity[]): Promise<NodeDriftReport[]> {
    const intervalMs = this.config.driftLiveMinIntervalS * 1000;
    const recent =
      intervalMs > 0
        ? await this.latestReportsSince(
            em,
            nodes.map((node) => node.id),
            new Date(Date.now() - intervalMs),
          )
        : new Map<string, NodeDriftReport>();
    // From here to registering the new scans nothing awaits, so a concurrent request sees them in flight.
    const due = nodes.filter((node) => !recent.has(node.id) && !this.inFlight.has(node.id));
    for (const [nodeId, scan] of this.scanner.scanNodes(em, due, 'api')) {
      this.inFlight.set(nodeId, scan);
      const settled = () => this.inFlight.delete(nodeId);
      scan.then(settled, settled);
    }
    return Promise.all(nodes.map((node) => recent.get(node.id) ?? this.inFlight.get(node.id)!));
  }

  /**
   * The latest report of each of `nodeIds` whose scan finished at or after `since`; other nodes are absent. A
   * scan older than a repair that has finished since is not the node's latest result any more (the repair
   * changed and verified the node), so that node is absent too and is scanned again.
   */
  private async latestReportsSince(
    em: EntityManager,
    nodeIds: readonly string[],
    since: Date,
  ): Promise<Map<string, NodeDriftReport>> {
    if (nodeIds.length === 0) return new Map();
    const [scans, repaired] = await Promise.all([
      this.store.latestScansSince(em, nodeIds, since),
      this.reactions.ask(FINISHED_REPAIRS, em, nodeIds),
    ]);
    const current = scans.filter((scan) => !((repaired.get(scan.node_id) ?? 0) > new Date(scan.checked_at)));
    return new Map(current.map((scan) => [scan.node_id, scan.report]));
  }
}
