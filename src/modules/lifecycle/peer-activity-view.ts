import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { ViewExtension } from '../../common/http/view-extensions';
import type { PeerEntity, PeerViewExtras } from '../peers';
import { PeerActivityEntity } from './peer-activity.entity';

/** The latest handshake, transfer totals and source address the scans saw, on peer views. */
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
      last_endpoint: activity?.endpoint ?? null,
    };
  }
}
