import { Injectable } from '@nestjs/common';
import { DesiredPeer, EffectivePeerSettings } from '../../common/domain/desired-state';
import { ViewExtensions } from '../../common/http/view-extensions';
import { PeerEntity } from './peer.entity';

@Injectable()
export class PeerViewExtensions extends ViewExtensions<PeerEntity> {}

/** The API shape of a peer (CONTRACT §3): whether keys are held, never the keys. */
export function toPeerView(
  peer: PeerEntity,
  effective: EffectivePeerSettings,
  extras: Record<string, unknown> = {},
) {
  return {
    id: peer.id,
    node_id: peer.nodeId,
    name: peer.name,
    public_key: peer.publicKey,
    allowed_ips: peer.allowedIps,
    dns: peer.dns,
    mtu: peer.mtu,
    persistent_keepalive: peer.persistentKeepalive,
    endpoint_allowed_ips: peer.endpointAllowedIps,
    has_preshared_key: peer.presharedKeySealed !== null,
    has_private_key: peer.privateKeySealed !== null,
    enabled: peer.enabled,
    expires_at: peer.expiresAt?.toISOString() ?? null,
    quota_bytes: peer.quotaBytes,
    quota_period: peer.quotaPeriod,
    suspended_reason: peer.suspendedReason,
    effective,
    ...extras,
    version: peer.version,
    created_at: peer.createdAt.toISOString(),
    updated_at: peer.updatedAt.toISOString(),
  };
}

export type PeerView = ReturnType<typeof toPeerView>;

export function toDesiredPeer(peer: PeerEntity): DesiredPeer {
  return {
    id: peer.id,
    node_id: peer.nodeId,
    name: peer.name,
    public_key: peer.publicKey,
    allowed_ips: peer.allowedIps,
    dns: peer.dns,
    mtu: peer.mtu,
    persistent_keepalive: peer.persistentKeepalive,
    endpoint_allowed_ips: peer.endpointAllowedIps,
    preshared_key_sha256: peer.presharedKeySha256,
    // A suspended peer is off its node like a disabled one.
    enabled: peer.enabled && peer.suspendedReason === null,
  };
}
