import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { ViewExtension } from '../../common/http/view-extensions';
import type { NodeEntity } from '../nodes/node.entity';
import type { PeerEntity } from '../peers/peer.entity';
import { PeerActivityEntity } from './activity/peer-activity.entity';
import { NodeDriftStateEntity } from './node-drift-state.entity';

/** `drift_status` and `last_scan_at` on node views (null until the node's first scan). */
@Injectable()
export class NodeDriftStatusView implements ViewExtension<NodeEntity> {
  constructor(private readonly em: EntityManager) {}

  async extend(nodes: readonly NodeEntity[]): Promise<Map<string, Record<string, unknown>>> {
    const states = await this.em
      .fork()
      .find(
        NodeDriftStateEntity,
        { nodeId: { $in: nodes.map((node) => node.id) } },
        { fields: ['nodeId', 'status', 'lastScanAt'] },
      );
    return driftStatuses(nodes, new Map(states.map((state) => [state.nodeId, state])));
  }

  extendCreated(nodes: readonly NodeEntity[]): Map<string, Record<string, unknown>> {
    return driftStatuses(nodes, new Map());
  }
}

function driftStatuses(
  nodes: readonly NodeEntity[],
  byNode: ReadonlyMap<string, Pick<NodeDriftStateEntity, 'status' | 'lastScanAt'>>,
): Map<string, Record<string, unknown>> {
  return new Map(
    nodes.map((node) => {
      const state = byNode.get(node.id);
      return [
        node.id,
        { drift_status: state?.status ?? null, last_scan_at: state?.lastScanAt.toISOString() ?? null },
      ];
    }),
  );
}

/** The latest handshake, transfer totals and endpoint the scans saw, on peer views. */
@Injectable()
export class PeerActivityView implements ViewExtension<PeerEntity> {
  constructor(private readonly em: EntityManager) {}

  async extend(peers: readonly PeerEntity[]): Promise<Map<string, Record<string, unknown>>> {
    const rows = await this.em
      .fork()
      .find(PeerActivityEntity, { peerId: { $in: peers.map((peer) => peer.id) } });
    return activities(peers, new Map(rows.map((row) => [row.peerId, row])));
  }

  extendCreated(peers: readonly PeerEntity[]): Map<string, Record<string, unknown>> {
    return activities(peers, new Map());
  }
}

function activities(
  peers: readonly PeerEntity[],
  byPeer: ReadonlyMap<string, PeerActivityEntity>,
): Map<string, Record<string, unknown>> {
  return new Map(
    peers.map((peer) => {
      const activity = byPeer.get(peer.id);
      return [
        peer.id,
        {
          latest_handshake: activity?.latestHandshake?.toISOString() ?? null,
          transfer_rx: activity?.totalRx ?? 0,
          transfer_tx: activity?.totalTx ?? 0,
          endpoint: activity?.endpoint ?? null,
        },
      ];
    }),
  );
}
