import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import type { ViewExtension } from '../../common/http/view-extensions';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { PeerEntity, PeerViewExtras } from '../peers';
import { ApiProperty } from '@nestjs/swagger';
import { QUOTA_PERIODS, QuotaPeriod, quotaPeriod } from './domain/quota-period';
import { PeerUsageStore, type UsagePeriodRow } from './peer-usage.store';

type Usage = { rx: number; tx: number };

/** `usage` of the current quota period on peer views (zero until a scan counts traffic). */
@Injectable()
export class PeerUsageView implements ViewExtension<PeerEntity, Usage, Pick<PeerViewExtras, 'usage'>> {
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

  fields(peer: PeerEntity, usage: Usage | undefined): Pick<PeerViewExtras, 'usage'> {
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

/** One quota period of a peer's usage, as `GET /api/peers/{id}/usage` lists it. */
export class UsagePeriodView implements UsagePeriodRow {
  @ApiProperty({ enum: QUOTA_PERIODS, enumName: 'QuotaPeriod' })
  period!: QuotaPeriod;

  @ApiProperty({ format: 'date-time' })
  period_start!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null: a `total` period' })
  period_end!: string | null;

  @ApiProperty()
  rx_bytes!: number;

  @ApiProperty()
  tx_bytes!: number;
}

export class UsagePeriodList {
  @ApiProperty({ type: UsagePeriodView, isArray: true, description: 'Newest first' })
  items!: UsagePeriodView[];
}
