import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { ViewExtension } from '../../common/http/view-extensions';
import type { NodeEntity, NodeViewExtras } from '../nodes';
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
