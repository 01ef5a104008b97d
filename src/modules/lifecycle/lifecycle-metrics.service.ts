import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { MetricsRegistry } from '../../common/metrics/metrics-registry';
import { PeerLifecycleStore } from './peer-lifecycle.store';
import { PeerUsageStore, type PeerUsageOfFleet } from './peer-usage.store';

const SUSPENDED_REASONS = ['expired', 'quota'] as const;

/**
 * Lifecycle gauges, read from the database at scrape time: suspended peers by reason, and with
 * METRICS_PER_PEER each peer's usage of its current period and its quota, labelled `node_id` and `peer_id`
 * like the other per-peer series: no name or key.
 */
@Injectable()
export class LifecycleMetrics {
  constructor(
    registry: MetricsRegistry,
    em: EntityManager,
    lifecycle: PeerLifecycleStore,
    usage: PeerUsageStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const registers = [registry];
    new Gauge({
      name: 'wgfleet_peers_suspended',
      help: 'Peers the panel suspended, by reason (expired, quota).',
      labelNames: ['reason'],
      registers,
      async collect() {
        const counts = new Map(
          (await lifecycle.suspendedCounts(em.fork())).map((row) => [row.reason, row.count]),
        );
        this.reset();
        for (const reason of SUSPENDED_REASONS) this.set({ reason }, counts.get(reason) ?? 0);
      },
    });
    if (!config.metricsPerPeer) return;
    // Both per-peer gauges come from one query: the registry collects its metrics concurrently, so the two
    // collects of a scrape share the read in flight.
    let reading: Promise<PeerUsageOfFleet[]> | null = null;
    const fleetUsage = () =>
      (reading ??= usage.currentOfFleet(em.fork(), new Date()).finally(() => (reading = null)));
    new Gauge({
      name: 'wgfleet_peer_period_usage_bytes',
      help: 'Bytes the peer used in its current quota period, by direction (rx = received from the peer).',
      labelNames: ['node_id', 'peer_id', 'direction'],
      registers,
      async collect() {
        const rows = await fleetUsage();
        this.reset();
        for (const { node_id, peer_id, rx, tx } of rows) {
          this.set({ node_id, peer_id, direction: 'rx' }, rx);
          this.set({ node_id, peer_id, direction: 'tx' }, tx);
        }
      },
    });
    new Gauge({
      name: 'wgfleet_peer_quota_bytes',
      help: "The peer's data quota per period (peers with a quota).",
      labelNames: ['node_id', 'peer_id'],
      registers,
      async collect() {
        const rows = await fleetUsage();
        this.reset();
        for (const { node_id, peer_id, quota } of rows) {
          if (quota !== null) this.set({ node_id, peer_id }, quota);
        }
      },
    });
  }
}
