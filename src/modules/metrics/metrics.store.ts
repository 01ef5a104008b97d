import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { DriftStatus, DriftSummary } from '../drift/domain/drift-report';
import type { NodeScanRow } from './drift-samples';

/** A peer's activity as the gauges show it; timestamps may arrive as text. */
export interface PeerActivityRow {
  node_id: string;
  peer_id: string;
  latest_handshake: Date | string | null;
  total_rx: string;
  total_tx: string;
}

/**
 * The metrics module's statements. It owns no table: these read-only reports join the enabled nodes with
 * their latest scan and their peers' activity, once per scrape.
 */
@Injectable()
export class MetricsStore {
  async latestScansOfEnabledNodes(em: EntityManager): Promise<NodeScanRow[]> {
    const rows = await em.execute<
      Array<{
        node: string;
        status: DriftStatus | null;
        last_scan_at: Date | string | null;
        summary: DriftSummary | null;
      }>
    >(
      `select n.name as node, st.status, st.last_scan_at, s.summary
       from nodes n
       left join node_drift_state st on st.node_id = n.id
       left join drift_scans s on s.id = st.last_scan_id
       where n.enabled`,
    );
    return rows.map((row) => ({
      node: row.node,
      status: row.status,
      lastScanAt: row.last_scan_at === null ? null : new Date(row.last_scan_at),
      summary: row.summary,
    }));
  }

  /** A peer without an activity row has shown none yet: its series read 0. */
  peerActivityOfEnabledNodes(em: EntityManager): Promise<PeerActivityRow[]> {
    return em.execute<PeerActivityRow[]>(
      `select p.node_id, p.id as peer_id, a.latest_handshake,
         coalesce(a.total_rx, 0) as total_rx, coalesce(a.total_tx, 0) as total_tx
       from peers p
       join nodes n on n.id = p.node_id
       left join peer_activity a on a.peer_id = p.id
       where n.enabled`,
    );
  }
}
