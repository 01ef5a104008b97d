import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import type { ViewExtension } from '../../common/http/view-extensions';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { PeerEntity } from '../peers/peer.entity';
import { quotaPeriod } from './domain/quota-period';
import { PeerUsageStore } from './peer-usage.store';

type Usage = { rx: number; tx: number };

/** `usage` of the current quota period on peer views (zero until a scan counts traffic). */
@Injectable()
export class PeerUsageView implements ViewExtension<PeerEntity, Usage> {
  constructor(
    private readonly em: EntityManager,
    private readonly usage: PeerUsageStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  load(peers: readonly PeerEntity[]): Promise<ReadonlyMap<string, Usage>> {
    return this.usage.current(
      this.em.fork(),
      peers.map((peer) => peer.id),
      new Date(),
    );
  }

  fields(peer: PeerEntity, usage: Usage | undefined): Record<string, unknown> {
    const period = quotaPeriod(peer.quotaPeriod, new Date(), this.config.quotaTimeZone, peer.createdAt);
    return {
      usage: {
        period_start: period.start.toISOString(),
        rx_bytes: usage?.rx ?? 0,
        tx_bytes: usage?.tx ?? 0,
      },
    };
  }
}
