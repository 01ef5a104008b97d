import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { NodeEntity } from '../nodes/node.entity';
import { NodesService } from '../nodes/nodes.service';
import { fleetDriftReport, type FleetDriftReport, type NodeDriftReport } from './domain/drift-report';
import { DriftScanner } from './drift-scanner.service';
import { RecentScansStore } from './recent-scans.store';

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
    private readonly recentScans: RecentScansStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Every enabled node. */
  async fleet(): Promise<FleetDriftReport> {
    const startedAt = new Date();
    const em = this.em.fork();
    const nodes = await em.find(NodeEntity, { enabled: true }, { orderBy: { name: 'asc' } });
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
        ? await this.recentScans.latestReportsSince(
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
}
