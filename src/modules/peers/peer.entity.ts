import { BigIntType, Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { QuotaPeriod, SuspendedReason } from './domain/peer-lifecycle';
import type { PeerOrigin } from './peer.events';

/** Read model of a peer, projected from its events. */
@Entity({ tableName: 'peers' })
@Unique({ properties: ['nodeId', 'publicKey'] })
@Index({ properties: ['nodeId', 'createdAt', 'id'] })
export class PeerEntity {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  /** The node, or for a cluster peer its cluster: the owner of its addresses and key space (PeerState.node_id). */
  @Property({ type: 'uuid' })
  nodeId!: string;

  /** Set for a cluster peer, carried by every member of the cluster (then equal to nodeId). */
  @Property({ type: 'uuid', nullable: true })
  clusterId: string | null = null;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  publicKey!: string;

  @Property({ type: 'jsonb' })
  allowedIps!: string[];

  @Property({ type: 'jsonb', nullable: true })
  dns: string[] | null = null;

  @Property({ type: 'integer', nullable: true })
  mtu: number | null = null;

  @Property({ type: 'integer', nullable: true })
  persistentKeepalive: number | null = null;

  /** Networks outside the node's pool the peer routes (a site's LAN); on the node they join allowed_ips. */
  @Property({ type: 'jsonb', default: "'[]'" })
  routedIps: string[] = [];

  /** "host:port" the node sends to; null = wherever the peer last connected from. */
  @Property({ type: 'text', nullable: true })
  endpoint: string | null = null;

  @Property({ type: 'jsonb', nullable: true })
  endpointAllowedIps: string[] | null = null;

  @Property({ type: 'text', nullable: true })
  privateKeySealed: string | null = null;

  @Property({ type: 'text', nullable: true })
  presharedKeySealed: string | null = null;

  /** Lets drift detection compare preshared keys with the agent's dump without decrypting anything. */
  @Property({ type: 'text', nullable: true })
  presharedKeySha256: string | null = null;

  @Property({ type: 'boolean' })
  enabled: boolean = true;

  @Property({ type: 'text', default: 'created' })
  origin: PeerOrigin = 'created';

  /** After this instant the peer is suspended (`expired`) until the time moves; null = never. */
  @Property({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null = null;

  /** Bytes (received + sent) allowed per quota period; null = no quota. */
  @Property({ type: new BigIntType('number'), nullable: true })
  quotaBytes: number | null = null;

  @Property({ type: 'text' })
  quotaPeriod: QuotaPeriod = 'month';

  /** Why the panel took the peer off its node; null = not suspended. Only suspension events set it. */
  @Property({ type: 'text', nullable: true })
  suspendedReason: SuspendedReason | null = null;

  /** The user whose device this is (docs/API.md "Self-service"); null = nobody's. */
  @Property({ type: 'uuid', nullable: true, index: 'peers_owner_index' })
  owner: string | null = null;

  @Property({ type: 'integer' })
  version!: number;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}
