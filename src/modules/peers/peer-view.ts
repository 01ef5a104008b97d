import { Injectable } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  DesiredPeer,
  EffectivePeerSettings,
  SETTING_SOURCES,
  SettingSource,
} from '../../common/domain/desired-state';
import { ViewExtensions, type ViewExtensionsTopic } from '../../common/http/view-extensions';
import { gatherTopic, Reactions } from '../../common/reactions';
import { SYNC_STATUSES, SyncStatus } from './domain/sync-status';
import { QUOTA_PERIODS, QuotaPeriod, SUSPENDED_REASONS, SuspendedReason } from './domain/peer-lifecycle';
import { PeerEntity } from './peer.entity';
import { PEER_ORIGINS, PeerOrigin } from './peer.events';

/** A peer's traffic in its current quota period, wherever it connected. */
export class PeerPeriodUsageView {
  @ApiProperty({ format: 'date-time' })
  period_start!: string;

  @ApiProperty({ description: 'Bytes received from the peer in this period' })
  rx_bytes!: number;

  @ApiProperty({ description: 'Bytes sent to the peer in this period' })
  tx_bytes!: number;
}

/** Fields other modules add to peer views (what the scans saw, sync state, usage); see their ViewExtension. */
export class PeerViewExtras {
  @ApiProperty({ type: PeerPeriodUsageView })
  usage!: PeerPeriodUsageView;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'As the latest scan saw it',
  })
  latest_handshake!: string | null;

  @ApiProperty({ description: 'Bytes received from the peer, summed over interface restarts' })
  transfer_rx!: number;

  @ApiProperty({ description: 'Bytes sent to the peer, summed over interface restarts' })
  transfer_tx!: number;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Where the peer last connected from, as the latest scan saw it',
  })
  last_endpoint!: string | null;

  @ApiProperty({
    enum: SYNC_STATUSES,
    enumName: 'SyncStatus',
    description: 'Whether the latest change is on the node',
  })
  sync_status!: SyncStatus;

  @ApiPropertyOptional({ description: 'Why the agent refused the change; only with sync_status `failed`' })
  sync_error?: string;
}

/** Modules adding fields to peer views contribute their extension here. */
export const PEER_VIEW_EXTENSIONS: ViewExtensionsTopic<PeerEntity, PeerViewExtras> =
  gatherTopic('peers.view-extensions');

@Injectable()
export class PeerViewExtensions extends ViewExtensions<PeerEntity, PeerViewExtras> {
  constructor(reactions: Reactions) {
    super(reactions, PEER_VIEW_EXTENSIONS);
  }
}

/** Where each effective value of a peer comes from. */
export class EffectivePeerSettingSourcesView implements Record<
  keyof EffectivePeerSettings['sources'],
  SettingSource
> {
  @ApiProperty({ enum: SETTING_SOURCES, enumName: 'SettingSource' })
  dns!: SettingSource;

  @ApiProperty({ enum: SETTING_SOURCES, enumName: 'SettingSource' })
  dns_search!: SettingSource;

  @ApiProperty({ enum: SETTING_SOURCES, enumName: 'SettingSource' })
  mtu!: SettingSource;

  @ApiProperty({ enum: SETTING_SOURCES, enumName: 'SettingSource' })
  persistent_keepalive!: SettingSource;

  @ApiProperty({ enum: SETTING_SOURCES, enumName: 'SettingSource' })
  endpoint_allowed_ips!: SettingSource;

  @ApiProperty({
    enum: SETTING_SOURCES,
    enumName: 'SettingSource',
    description: "whose listen port the endpoint's port is (the host is always the node's)",
  })
  endpoint!: SettingSource;
}

/**
 * A peer setting's effective value: the peer's own, else the node's override, else the template version the node
 * runs, else the panel default; `sources` says which.
 */
export class EffectivePeerSettingsView implements EffectivePeerSettings {
  @ApiProperty({ type: String, isArray: true })
  dns!: string[];

  @ApiProperty({
    type: String,
    isArray: true,
    description: "search domains after the servers in the client's DNS line",
  })
  dns_search!: string[];

  @ApiProperty({ type: Number, nullable: true })
  mtu!: number | null;

  @ApiProperty()
  persistent_keepalive!: number;

  @ApiProperty({ type: String, isArray: true })
  endpoint_allowed_ips!: string[];

  @ApiProperty({ description: 'Host:port the client connects to' })
  endpoint!: string;

  @ApiProperty({ type: EffectivePeerSettingSourcesView })
  sources!: EffectivePeerSettingSourcesView;
}

/** The API shape of a peer (docs/API.md, Resources): whether keys are held, never the keys. */
export class PeerView extends PeerViewExtras {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null for a cluster peer' })
  node_id!: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Set for a cluster peer, carried by every member of the cluster',
  })
  cluster_id!: string | null;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  public_key!: string;

  @ApiProperty({ type: String, isArray: true, example: ['10.0.1.2/32'] })
  allowed_ips!: string[];

  @ApiProperty({
    type: String,
    isArray: true,
    example: ['192.168.60.0/24'],
    description: "networks outside the node's pool the peer routes; the node's allowed IPs add them",
  })
  routed_ips!: string[];

  @ApiProperty({
    type: String,
    nullable: true,
    example: '203.0.113.9:51820',
    description: 'host:port the node sends to; null: wherever the peer last connected from',
  })
  endpoint!: string | null;

  @ApiProperty({ type: String, isArray: true, nullable: true })
  dns!: string[] | null;

  @ApiProperty({ type: Number, nullable: true })
  mtu!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  persistent_keepalive!: number | null;

  @ApiProperty({ type: String, isArray: true, nullable: true })
  endpoint_allowed_ips!: string[] | null;

  @ApiProperty()
  has_preshared_key!: boolean;

  @ApiProperty()
  has_private_key!: boolean;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({
    enum: PEER_ORIGINS,
    enumName: 'PeerOrigin',
    description: '`adopted`: taken over from its node; the client holds its private key',
  })
  origin!: PeerOrigin;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'After this the peer is suspended (`expired`) until it moves; null: never',
  })
  expires_at!: string | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Bytes (received + sent) per quota period; null: none',
  })
  quota_bytes!: number | null;

  @ApiProperty({ enum: QUOTA_PERIODS, enumName: 'QuotaPeriod' })
  quota_period!: QuotaPeriod;

  @ApiProperty({
    enum: SUSPENDED_REASONS,
    enumName: 'SuspendedReason',
    nullable: true,
    description: 'Why the panel took the peer off its node; null: not suspended',
  })
  suspended_reason!: SuspendedReason | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: "The user whose device this is (self-service); null: nobody's",
  })
  owner!: string | null;

  @ApiProperty({ type: EffectivePeerSettingsView })
  effective!: EffectivePeerSettingsView;

  @ApiProperty()
  version!: number;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;
}

export function toPeerView(
  peer: PeerEntity,
  effective: EffectivePeerSettings,
  extras: PeerViewExtras,
): PeerView {
  return {
    id: peer.id,
    node_id: peer.clusterId ? null : peer.nodeId,
    cluster_id: peer.clusterId,
    name: peer.name,
    public_key: peer.publicKey,
    allowed_ips: peer.allowedIps,
    routed_ips: peer.routedIps,
    endpoint: peer.endpoint,
    dns: peer.dns,
    mtu: peer.mtu,
    persistent_keepalive: peer.persistentKeepalive,
    endpoint_allowed_ips: peer.endpointAllowedIps,
    // An adopted peer's preshared key is known only by its hash, which drift compares all the same.
    has_preshared_key: peer.presharedKeySha256 !== null,
    has_private_key: peer.privateKeySealed !== null,
    enabled: peer.enabled,
    origin: peer.origin,
    expires_at: peer.expiresAt?.toISOString() ?? null,
    quota_bytes: peer.quotaBytes,
    quota_period: peer.quotaPeriod,
    suspended_reason: peer.suspendedReason,
    owner: peer.owner,
    effective,
    ...extras,
    version: peer.version,
    created_at: peer.createdAt.toISOString(),
    updated_at: peer.updatedAt.toISOString(),
  };
}

export function toDesiredPeer(peer: PeerEntity): DesiredPeer {
  return {
    id: peer.id,
    node_id: peer.nodeId,
    name: peer.name,
    public_key: peer.publicKey,
    allowed_ips: peer.allowedIps,
    routed_ips: peer.routedIps,
    endpoint: peer.endpoint,
    dns: peer.dns,
    mtu: peer.mtu,
    persistent_keepalive: peer.persistentKeepalive,
    endpoint_allowed_ips: peer.endpointAllowedIps,
    preshared_key_sha256: peer.presharedKeySha256,
    // A suspended peer is off its node like a disabled one.
    enabled: peer.enabled && peer.suspendedReason === null,
  };
}
