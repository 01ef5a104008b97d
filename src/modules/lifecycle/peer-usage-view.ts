import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import type { ViewExtension } from '../../common/http/view-extensions';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { PeerEntity, PeerViewExtras } from '../peers';
import { ApiProperty } from '@nestjs/swagger';
import { QUOTA_PERIODS, QuotaPeriod } from '../peers/domain/peer-lifecycle';
import { currentPeriods, quotaPeriod } from './domain/quota-period';
import { PeerUsageStore, type UsagePeriodRow } from './peer-usage.store';

/** A peer's usage in its current quota period, and when that period began. */
type Usage = { rx: number; tx: number; periodStart: Date };

/** `usage` of the current quota period on peer views (zero until a scan counts traffic). */
@Injectable()
export class PeerUsageView implements ViewExtension<PeerEntity, Usage, Pick<PeerViewExtras, 'usage'>> {
  constructor(
    private readonly em: EntityManager,
    private readonly usage: PeerUsageStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Every peer's entry, with its period's start: the calendar periods are worked out once for all the rows,
   * since each is several time-zone conversions and a page (an adoption's answer) may hold thousands.
   */
  async load(peers: readonly PeerEntity[]): Promise<ReadonlyMap<string, Usage>> {
    const now = new Date();
    const periods = currentPeriods(now, this.config.quotaTimeZone);
    const counted = await this.usage.current(
      this.em.fork(),
      peers.map((peer) => peer.id),
      now,
    );
    return new Map(
      peers.map((peer) => [
        peer.id,
        {
          rx: counted.get(peer.id)?.rx ?? 0,
          tx: counted.get(peer.id)?.tx ?? 0,
          periodStart: peer.quotaPeriod === 'total' ? peer.createdAt : periods[peer.quotaPeriod].start,
        },
      ]),
    );
  }

  fields(peer: PeerEntity, usage: Usage | undefined): Pick<PeerViewExtras, 'usage'> {
    const periodStart =
      usage?.periodStart ??
      quotaPeriod(peer.quotaPeriod, new Date(), this.config.quotaTimeZone, peer.createdAt).start;
    return {
      usage: {
        period_start: periodStart.toISOString(),
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
