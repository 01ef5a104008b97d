import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Gauge, Histogram } from 'prom-client';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { LatestScansReader, type StoredScan } from '../drift';
import { PeerActivityStore } from '../lifecycle';
import { driftPeerSamples, lastScanSamples, nodeStatusSamples, type Sample } from './drift-samples';
import { MetricsRegistry } from '../../common/metrics/metrics-registry';

/**
 * Per-peer series are labelled by ids only: a peer's name (often a person's) next to its handshakes would make
 * the metrics a presence tracker for anyone who can scrape them.
 */
type PeerLabel = 'node_id' | 'peer_id';

interface PeerActivityGauges {
  handshake: Gauge<PeerLabel>;
  rx: Gauge<PeerLabel>;
  tx: Gauge<PeerLabel>;
}

/**
 * Drift metrics. Gauges are read from the database at scrape time (every panel instance reports the whole
 * fleet, whichever instance ran the scans); the scan duration histogram counts this instance's scans.
 */
@Injectable()
export class DriftMetrics {
  private readonly scanDuration: Histogram<'trigger' | 'status'>;
  private readonly driftPeers: Gauge<'node' | 'kind'>;
  private readonly nodeStatus: Gauge<'node' | 'status'>;
  private readonly lastScan: Gauge<'node'>;
  /** Per-peer series only on request (METRICS_PER_PEER): one series per peer adds up fast. */
  private readonly peers: PeerActivityGauges | null;

  constructor(
    registry: MetricsRegistry,
    private readonly em: EntityManager,
    private readonly scans: LatestScansReader,
    private readonly activity: PeerActivityStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const registers = [registry];
    this.scanDuration = new Histogram({
      name: 'wgfleet_drift_scan_duration_seconds',
      help: 'Time to scan one node: fetching its dump, comparing and storing the scan.',
      labelNames: ['trigger', 'status'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.driftPeers = new Gauge({
      name: 'wgfleet_drift_peers',
      help: "Drifted peers in each node's latest scan, by kind.",
      labelNames: ['node', 'kind'],
      registers,
    });
    this.nodeStatus = new Gauge({
      name: 'wgfleet_node_status',
      help: "1 for the status of each enabled node's latest scan (in_sync, drift, unknown), else 0.",
      labelNames: ['node', 'status'],
      registers,
    });
    this.lastScan = new Gauge({
      name: 'wgfleet_drift_last_scan_timestamp_seconds',
      help: "Unix time of each node's latest scan.",
      labelNames: ['node'],
      registers,
    });
    this.peers = config.metricsPerPeer
      ? {
          handshake: new Gauge({
            name: 'wgfleet_peer_latest_handshake_timestamp_seconds',
            help: "Unix time of the peer's latest handshake as of the latest scan (0 = never).",
            labelNames: ['node_id', 'peer_id'],
            registers,
          }),
          rx: new Gauge({
            name: 'wgfleet_peer_receive_bytes',
            help: 'Bytes received from the peer, summed across interface counter resets.',
            labelNames: ['node_id', 'peer_id'],
            registers,
          }),
          tx: new Gauge({
            name: 'wgfleet_peer_transmit_bytes',
            help: 'Bytes sent to the peer, summed across interface counter resets.',
            labelNames: ['node_id', 'peer_id'],
            registers,
          }),
        }
      : null;
  }

  onScanFinished(scan: StoredScan, durationMs: number): void {
    this.scanDuration.observe({ trigger: scan.trigger, status: scan.status }, durationMs / 1000);
  }

  /** Reloads the gauges from the latest scans: one query, plus one for peers when per-peer series are on. */
  async refresh(): Promise<void> {
    const em = this.em.fork();
    const scans = await this.scans.ofEnabledNodes(em);
    setAll(this.driftPeers, driftPeerSamples(scans));
    setAll(this.nodeStatus, nodeStatusSamples(scans));
    setAll(this.lastScan, lastScanSamples(scans));
    if (this.peers) await this.refreshPeers(em, this.peers);
  }

  private async refreshPeers(em: EntityManager, gauges: PeerActivityGauges): Promise<void> {
    const rows = await this.activity.ofEnabledNodes(em);
    const samples = (value: (row: (typeof rows)[number]) => number) =>
      rows.map((row) => ({
        labels: { node_id: row.node_id, peer_id: row.peer_id },
        value: value(row),
      }));
    setAll(
      gauges.handshake,
      samples((row) => (row.latest_handshake === null ? 0 : new Date(row.latest_handshake).getTime() / 1000)),
    );
    setAll(
      gauges.rx,
      samples((row) => Number(row.total_rx)),
    );
    setAll(
      gauges.tx,
      samples((row) => Number(row.total_tx)),
    );
  }
}

/** Replaces every series of the gauge, so deleted nodes and peers disappear. */
function setAll<L extends string>(gauge: Gauge<L>, samples: Sample<L>[]): void {
  gauge.reset();
  for (const { labels, value } of samples) gauge.set(labels as Partial<Record<L, string>>, value);
}
