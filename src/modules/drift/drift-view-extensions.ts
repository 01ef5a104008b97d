import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { ViewExtension } from '../../common/http/view-extensions';
import type { NodeEntity, NodeViewExtras } from '../nodes';
import type { PeerEntity, PeerViewExtras } from '../peers';
import { PeerActivityEntity } from './activity/peer-activity.entity';
import { NodeDriftStateEntity } from './node-drift-state.entity';

type DriftStatus = Pick<NodeDriftStateEntity, 'status' | 'lastScanAt'>;

/** `drift_status` and `last_scan_at` on node views (null until the node's first scan). */
@Injectable()
export class NodeDriftStatusView implements ViewExtension<
  NodeEntity,
  DriftStatus,
  Pick<NodeViewExtras, 'drift_status' | 'last_scan_at'>
> {
  constructor(private readonly em: EntityManager) {}

  async load(nodes: readonly NodeEntity[]): Promise<ReadonlyMap<string, DriftStatus>> {
    const states = await this.em
      .fork()
      .find(
        NodeDriftStateEntity,
        { nodeId: { $in: nodes.map((node) => node.id) } },
        { fields: ['nodeId', 'status', 'lastScanAt'] },
      );
    return new Map(states.map((state) => [state.nodeId, state]));
  }

  fields(
    _node: NodeEntity,
    state: DriftStatus | undefined,
  ): Pick<NodeViewExtras, 'drift_status' | 'last_scan_at'> {
    return { drift_status: state?.status ?? null, last_scan_at: state?.lastScanAt.toISOString() ?? null };
  }
}

/** The latest handshake, transfer totals and endpoint the scans saw, on peer views. */
@Injectable()
export class PeerActivityView implements ViewExtension<
  PeerEntity,
  PeerActivityEntity,
  Omit<PeerViewExtras, 'sync_status' | 'sync_error' | 'usage'>
> {
  constructor(private readonly em: EntityManager) {}

  async load(peers: readonly PeerEntity[]): Promise<ReadonlyMap<string, PeerActivityEntity>> {
    const rows = await this.em
      .fork()
      .find(PeerActivityEntity, { peerId: { $in: peers.map((peer) => peer.id) } });
    return new Map(rows.map((row) => [row.peerId, row]));
  }

  fields(
    _peer: PeerEntity,
    activity: PeerActivityEntity | undefined,
  ): Omit<PeerViewExtras, 'sync_status' | 'sync_error' | 'usage'> {
    return {
      latest_handshake: activity?.latestHandshake?.toISOString() ?? null,
      transfer_rx: activity?.totalRx ?? 0,
      transfer_tx: activity?.totalTx ?? 0,
      endpoint: activity?.endpoint ?? null,
    };
  }
}
