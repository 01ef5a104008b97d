import { BigIntType, Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** What the node last reported about a managed peer, with transfer totals that survive counter resets. */
@Entity({ tableName: 'peer_activity' })
export class PeerActivityEntity {
  @PrimaryKey({ type: 'uuid' })
  peerId!: string;

  @Property({ type: 'uuid', index: true })
  nodeId!: string;

  @Property({ type: 'timestamptz', nullable: true })
  latestHandshake: Date | null = null;

  /** The interface's counters as last seen; a smaller one later means the interface was reset. */
  @Property({ type: new BigIntType('number') })
  lastRx!: number;

  @Property({ type: new BigIntType('number') })
  lastTx!: number;

  @Property({ type: new BigIntType('number') })
  totalRx!: number;

  @Property({ type: new BigIntType('number') })
  totalTx!: number;

  @Property({ type: 'text', nullable: true })
  endpoint: string | null = null;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;

  /** The usage period the peer's traffic last went to (null: none yet), kept by PeerUsageStore. */
  @Property({ type: 'text', nullable: true })
  usagePeriod: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  usagePeriodStart: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  usagePeriodEnd: Date | null = null;

  /** The totals when that period began: its usage is the totals minus these. */
  @Property({ type: new BigIntType('number'), default: 0 })
  usageRxBase!: number;

  @Property({ type: new BigIntType('number'), default: 0 })
  usageTxBase!: number;
}
